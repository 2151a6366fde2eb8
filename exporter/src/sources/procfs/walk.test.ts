import { existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildTopology } from './model/buildTopology';
import type { Topology } from './model/topology';
import { buildFakeProcfs, DEFAULT_NETNS, tcpLine, TCP_HEADER, type FakeProcess } from '../../testutil/fakeProcfs';
import { ProcWalker } from './walk';

const fixture = (name: string): string => readFileSync(join(__dirname, '../../../testdata/proc', name), 'latin1');
const DOCKER_A = '4f1c2a9b7d3e5f60718293a4b5c6d7e8f90123456789abcdef0123456789abcd';
const DOCKER_B = '9e8d7c6b5a4f5f60718293a4b5c6d7e8f90123456789abcdef0123456789abcd';
const NS_A = 4026532001;
const NS_B = 4026532002;
const facts = { hostname: 'h1', kernel: '6.1.0', os: 'Debian', addresses: ['192.0.2.2'] };

// The host namespace uses the recorded testdata files; two containers run "web" listening on port 80.
const processes: FakeProcess[] = [
  { pid: 2, name: 'kthreadd', ppid: 0, flags: 0x00208040 },
  { pid: 3, name: 'kworker/0:1', ppid: 2, flags: 0x04208060 },
  { pid: 100, name: 'server', sockets: [1001, 2002], utime: 150, stime: 50, rssPages: 10 },
  { pid: 101, name: 'server', ppid: 100, sockets: [1001], utime: 100, rssPages: 5, startTicks: 2000 },
  { pid: 200, name: 'client', sockets: [2001, 2003, 6001], cmdline: 'client\0--to\0server\0' },
  { pid: 300, name: 'sshd', sockets: [1002, 2004] },
  { pid: 400, name: 'dual', sockets: [3001, 3005] },
  { pid: 500, name: 'v6srv', sockets: [3002, 3004] },
  { pid: 600, name: 'v6cli', sockets: [3003, 3006] },
  { pid: 700, name: 'web', netns: NS_A, sockets: [5001, 5002], cgroup: `0::/system.slice/docker-${DOCKER_A}.scope\n` },
  { pid: 800, name: 'web', netns: NS_B, sockets: [5101], cgroup: `0::/docker/${DOCKER_B}\n` },
];

const net = {
  [DEFAULT_NETNS]: {
    tcp: fixture('tcp') + tcpLine(99, ['172.17.0.1', 45000], ['172.17.0.2', 80], 1, 6001),
    tcp6: fixture('tcp6'),
  },
  [NS_A]: {
    tcp:
      TCP_HEADER +
      tcpLine(0, ['0.0.0.0', 80], ['0.0.0.0', 0], 0x0a, 5001) +
      tcpLine(1, ['172.17.0.2', 80], ['172.17.0.1', 45000], 1, 5002),
  },
  [NS_B]: { tcp: TCP_HEADER + tcpLine(0, ['0.0.0.0', 80], ['0.0.0.0', 0], 0x0a, 5101) },
};

describe('ProcWalker inside a pid namespace', () => {
  it('keeps pid 2 and its children when they are not kernel threads (pid 2 is ordinary there)', () => {
    const tree = buildFakeProcfs({
      processes: [
        { pid: 1, name: 'init', ppid: 0 },
        { pid: 2, name: 'db', ppid: 1 },
        { pid: 3, name: 'worker', ppid: 2 },
      ],
      net: { [DEFAULT_NETNS]: { tcp: TCP_HEADER } },
    });
    try {
      const names = new ProcWalker({ root: tree.root, passwd: '' }).walk().processes.map((p) => p.name);
      expect(names.sort()).toEqual(['db', 'init', 'worker']);
    } finally {
      tree.cleanup();
    }
  });
});

describe('ProcWalker and buildTopology over a recorded procfs', () => {
  let topology: Topology;
  let cleanup: () => void;
  beforeAll(() => {
    const tree = buildFakeProcfs({ processes, net });
    cleanup = tree.cleanup;
    const snapshot = new ProcWalker({ root: tree.root, passwd: 'root:x:0:0::/root:/bin/sh\n' }).walk();
    expect(snapshot.errors).toEqual({ vanished: 0, permission: 0, malformed: 0, io: 0 });
    topology = buildTopology(snapshot, facts);
  });
  afterAll(() => cleanup());

  it('groups processes by name and listening ports, skips kernel threads', () => {
    const byKey = Object.fromEntries(topology.processes.map((p) => [p.key, p]));
    expect(Object.keys(byKey).sort()).toEqual([
      'client',
      'dual[9090]',
      'server[8080]',
      'sshd[22]',
      'v6cli',
      'v6srv[7000]',
      `web[80]@${DOCKER_A.slice(0, 12)}`,
      `web[80]@${DOCKER_B.slice(0, 12)}`,
    ]);
    expect(byKey['server[8080]']).toMatchObject({
      id: 'process:h1/server[8080]',
      pid: 100,
      instances: 2,
      cpuSeconds: 3,
      rssBytes: 15 * 4096,
      user: 'root',
      parent: 'host:h1',
      startTime: 1764000000 + 10,
    });
    expect(byKey.client.cmdline).toBe('client --to server');
  });

  it('puts container processes under their container, and containers under the host', () => {
    const web = topology.processes.find((p) => p.key.startsWith('web[80]@4f1c'));
    expect(web?.parent).toBe('container:h1/4f1c2a9b7d3e');
    expect(topology.containers).toEqual([
      { id: 'container:h1/4f1c2a9b7d3e', containerId: '4f1c2a9b7d3e', runtime: 'docker', parent: 'host:h1' },
      { id: 'container:h1/9e8d7c6b5a4f', containerId: '9e8d7c6b5a4f', runtime: 'docker', parent: 'host:h1' },
    ]);
  });

  it('resolves local connections to edges, over IPv4, IPv6 and across network namespaces', () => {
    expect(topology.edges).toEqual(
      expect.arrayContaining([
        { source: 'process:h1/client', target: 'process:h1/server[8080]', port: 8080, connections: 1 },
        { source: 'process:h1/v6cli', target: 'process:h1/v6srv[7000]', port: 7000, connections: 1 },
        { source: 'process:h1/client', target: `process:h1/web[80]@4f1c2a9b7d3e`, port: 80, connections: 1 },
      ]),
    );
    expect(topology.edges).toHaveLength(3);
  });

  it('keeps the remote address of connections to and from other hosts', () => {
    expect(topology.remotes).toEqual(
      expect.arrayContaining([
        { node: 'process:h1/client', direction: 'outbound', address: '10.1.2.3', port: 5432, connections: 1 },
        { node: 'process:h1/sshd[22]', direction: 'inbound', address: '198.51.100.9', port: 22, connections: 1 },
        { node: 'process:h1/dual[9090]', direction: 'inbound', address: '127.0.0.1', port: 9090, connections: 1 },
        { node: 'process:h1/v6cli', direction: 'outbound', address: '2001:db8:0:1::10', port: 443, connections: 1 },
      ]),
    );
    expect(topology.remotes).toHaveLength(4);
  });

  it('publishes listening addresses with their family', () => {
    const l = topology.listeners.map((x) => `${x.node} ${x.address} ${x.port} ${x.family}`).sort();
    expect(l).toEqual([
      'process:h1/dual[9090] :: 9090 ipv6',
      'process:h1/server[8080] 127.0.0.1 8080 ipv4',
      'process:h1/sshd[22] 0.0.0.0 22 ipv4',
      'process:h1/v6srv[7000] ::1 7000 ipv6',
      'process:h1/web[80]@4f1c2a9b7d3e 0.0.0.0 80 ipv4',
      'process:h1/web[80]@9e8d7c6b5a4f 0.0.0.0 80 ipv4',
    ]);
  });
});

describe('ProcWalker between walks', () => {
  const spec = (startTicks: number, cmdline: string, utime = 0): FakeProcess[] => [
    { pid: 10, name: 'app', startTicks, utime, cmdline, sockets: [1001], cgroup: `0::/docker/${DOCKER_A}\n` },
  ];
  const net = { [DEFAULT_NETNS]: { tcp: fixture('tcp') } };
  let root: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ root, cleanup } = buildFakeProcfs({ processes: spec(1000, 'app\0--v1\0'), net }));
  });
  afterEach(() => cleanup());

  /** pid 10's files as another process (or the same one, later) would have them */
  const rewrite = (startTicks: number, cmdline: string, cgroup: string, utime = 0): void => {
    const other = buildFakeProcfs({ processes: spec(startTicks, cmdline, utime), net });
    writeFileSync(join(root, '10', 'stat'), readFileSync(join(other.root, '10', 'stat')));
    other.cleanup();
    writeFileSync(join(root, '10', 'cmdline'), cmdline);
    writeFileSync(join(root, '10', 'cgroup'), cgroup);
  };
  const only = (w: ProcWalker): { cmdline: string; containerId?: string; cpuSeconds: number } => {
    const [p] = w.walk().processes;
    return { cmdline: p.cmdline, containerId: p.containerId, cpuSeconds: p.cpuSeconds };
  };

  it('reads command line and cgroup once per process (pid and start time), the counters every walk', () => {
    const w = new ProcWalker({ root });
    expect(only(w)).toMatchObject({ cmdline: 'app --v1', containerId: DOCKER_A });
    rewrite(1000, 'app\0--v2\0', `0::/docker/${DOCKER_B}\n`, 250);
    expect(only(w)).toEqual({ cmdline: 'app --v1', containerId: DOCKER_A, cpuSeconds: 2.5 });
  });

  it('with statSeconds, reads a known process’s counters again only once they are that old', async () => {
    const hourly = new ProcWalker({ root, statSeconds: 3600 });
    const often = new ProcWalker({ root, statSeconds: 0.05 });
    expect([only(hourly).cpuSeconds, only(often).cpuSeconds]).toEqual([0, 0]);
    rewrite(1000, 'app\0--v1\0', `0::/docker/${DOCKER_A}\n`, 250);
    await new Promise((r) => setTimeout(r, 100));
    expect([only(hourly).cpuSeconds, only(often).cpuSeconds]).toEqual([0, 2.5]);
  });

  it('reads a reused pid (another start time) afresh', () => {
    const w = new ProcWalker({ root });
    expect(only(w).cmdline).toBe('app --v1');
    rewrite(5000, 'app\0--v2\0', `0::/docker/${DOCKER_B}\n`);
    expect(only(w)).toMatchObject({ cmdline: 'app --v2', containerId: DOCKER_B });
  });

  it('forgets a pid that vanished, even if it comes back with the same start time', () => {
    const w = new ProcWalker({ root });
    expect(only(w).cmdline).toBe('app --v1');
    const saved = readFileSync(join(root, '10', 'stat'));
    rmSync(join(root, '10', 'stat'));
    expect(w.walk().processes).toEqual([]);
    writeFileSync(join(root, '10', 'stat'), saved);
    writeFileSync(join(root, '10', 'cmdline'), 'app\0--v3\0');
    expect(only(w).cmdline).toBe('app --v3');
  });
});

describe('ProcWalker on bad input', () => {
  it('counts what it cannot read and keeps everything it can', () => {
    const tree = buildFakeProcfs({
      processes: [
        { pid: 10, name: 'good', sockets: [1001] },
        { pid: 11, stat: '11 (broken' },
        { pid: 12, stat: Buffer.from('12 (trunc) S 1 12') },
        { pid: 13, missing: ['stat'] },
        { pid: 14, name: 'gone-mid-walk', missing: ['fd'] },
        { pid: 15, name: Buffer.from([0x62, 0x61, 0x64, 0xff, 0x01, 0x6e, 0x61, 0x6d, 0x65]) },
        { pid: 16, name: '<b>x</b>"\\', cmdline: Buffer.from('run\0\u001b[31m\nred\0\xfe\0', 'latin1') },
        { pid: 17, name: 'long', cmdline: 'x'.repeat(5000) },
      ],
      net: { [DEFAULT_NETNS]: { tcp: fixture('tcp-malformed') } },
    });
    try {
      const snapshot = new ProcWalker({ root: tree.root }).walk();
      expect(snapshot.processes.map((p) => p.pid)).toEqual([10, 15, 16, 17]);
      const [, bad, html, long] = snapshot.processes;
      expect(bad.name).toBe('bad\ufffd\ufffdname');
      expect(html.name).toBe('<b>x</b>"\\');
      expect(html.cmdline).toBe('run \ufffd[31m\ufffdred \ufffd');
      expect(long.cmdline).toHaveLength(512);
      // two stat files, one name, one command line not UTF-8 (pid 16's 0xfe), five tcp lines
      expect(snapshot.errors.malformed).toBe(2 + 1 + 1 + 5);
      expect(snapshot.errors.vanished).toBe(2);
      expect(snapshot.problems.length).toBeGreaterThan(0);
      const topology = buildTopology(snapshot, facts);
      expect(topology.listeners).toEqual([
        { node: 'process:h1/good[8080]', address: '127.0.0.1', port: 8080, family: 'ipv4' },
      ]);
    } finally {
      tree.cleanup();
    }
  });

  it('throws when procfs itself is missing, so the cycle is marked failed', () => {
    expect(() => new ProcWalker({ root: '/nonexistent/proc' }).walk()).toThrow(/ENOENT/);
  });
});

describe('the incremental walk reads few fd tables', () => {
  const listen = tcpLine(0, ['127.0.0.1', 8080], ['0.0.0.0', 0], 0x0a, 1001);
  const conn = (sl: number, port: number, inode: number): string =>
    tcpLine(sl, ['127.0.0.1', port], ['127.0.0.1', 8080], 1, inode) +
    tcpLine(sl + 100, ['127.0.0.1', 8080], ['127.0.0.1', port], 1, inode + 1);
  const idle: FakeProcess[] = Array.from({ length: 10 }, (_, i) => ({ pid: 30 + i, name: `idle${i}` }));
  let root: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ root, cleanup } = buildFakeProcfs({
      processes: [{ pid: 10, name: 'srv', sockets: [1001, 2002] }, { pid: 20, name: 'cli', sockets: [2001] }, ...idle],
      net: { [DEFAULT_NETNS]: { tcp: TCP_HEADER + listen + conn(1, 40000, 2001) } },
    }));
  });
  afterEach(() => cleanup());
  /** every process's net/tcp: the namespace's table as each of them sees it */
  const setTcp = (text: string): void => {
    for (const pid of [10, 20, ...idle.map((p) => p.pid)])
      if (existsSync(join(root, String(pid)))) writeFileSync(join(root, String(pid), 'net', 'tcp'), text);
  };
  const edgesOf = (w: ProcWalker): string[] =>
    buildTopology(w.walk(), facts).edges.map((e) => `${e.source}->${e.target}=${e.connections}`);

  it('reads an fd table again only for new processes and for sockets no known process holds', () => {
    const w = new ProcWalker({ root, refreshSeconds: 1e6 });
    expect(edgesOf(w)).toEqual(['process:h1/cli->process:h1/srv[8080]=1']);
    expect(w.fdReads).toBe(12);
    edgesOf(w);
    expect(w.fdReads).toBe(0);
    // a new connection of a known client: the search stops at its owner
    symlinkSync('socket:[2005]', join(root, '20', 'fd', '9'));
    symlinkSync('socket:[2006]', join(root, '10', 'fd', '9'));
    setTcp(TCP_HEADER + listen + conn(1, 40000, 2001) + conn(2, 40001, 2005));
    expect(edgesOf(w)).toEqual(['process:h1/cli->process:h1/srv[8080]=2']);
    expect(w.fdReads).toBeLessThanOrEqual(2);
    expect(edgesOf(w)).toEqual(['process:h1/cli->process:h1/srv[8080]=2']);
    expect(w.fdReads).toBe(0);
    // a socket nobody visible holds: searched once, then remembered
    setTcp(TCP_HEADER + listen + conn(1, 40000, 2001) + conn(2, 40001, 2005) + conn(3, 40002, 9001));
    edgesOf(w);
    expect(w.fdReads).toBe(12);
    edgesOf(w);
    // the client end is remembered; the server end (not accepted yet, as far as anyone can see) is looked for again
    // in the listener's holder only
    expect(w.fdReads).toBe(1);
    // a process that exits is dropped without reading anything
    rmSync(join(root, '20'), { recursive: true });
    setTcp(TCP_HEADER + listen);
    expect(edgesOf(w)).toEqual([]);
    expect(w.fdReads).toBe(0);
  });

  it('re-reads every fd table within the refresh period, spread over the walks', async () => {
    const w = new ProcWalker({ root, refreshSeconds: 0.2 });
    w.walk();
    await new Promise((r) => setTimeout(r, 50));
    w.walk();
    // about a quarter of the 12 per 50 ms (more on a slow machine: only the lower bound is certain)
    expect(w.fdReads).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 250));
    w.walk();
    expect(w.fdReads).toBe(12);
  });
});
