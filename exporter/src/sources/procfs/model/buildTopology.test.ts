import type { TcpSocket } from '../procNetTcp';
import type { ProcRecord, ProcSnapshot } from '../snapshot';
import { buildTopology } from './buildTopology';

const facts = { hostname: 'h', kernel: '6.1.0', os: 'Debian', addresses: ['10.0.0.1'] };
const LISTEN = 0x0a;
const EST = 0x01;

function proc(pid: number, name: string, inodes: number[], extra: Partial<ProcRecord> = {}): ProcRecord {
  return {
    pid,
    ppid: 1,
    name,
    cmdline: name,
    uid: 0,
    user: 'root',
    startTime: 1000 + pid,
    cpuSeconds: 1,
    rssBytes: 4096,
    netns: 'net:[1]',
    inodes,
    ...extra,
  };
}

function sock(local: [string, number], remote: [string, number], state: number, inode: number): TcpSocket {
  const family = local[0].includes(':') ? 'ipv6' : 'ipv4';
  return {
    family,
    localAddress: local[0],
    localPort: local[1],
    remoteAddress: remote[0],
    remotePort: remote[1],
    state,
    inode,
  };
}

function snapshot(processes: ProcRecord[], sockets: Record<string, TcpSocket[]>): ProcSnapshot {
  return {
    processes,
    sockets,
    conntrack: [],
    errors: { vanished: 0, permission: 0, malformed: 0, io: 0 },
    problems: [],
    wallSeconds: 0,
    cpuSeconds: 0,
  };
}

describe('buildTopology', () => {
  it('gives a shared socket to its lowest pid and keys every holder by the listening port', () => {
    const t = buildTopology(
      snapshot(
        // out of pid order on purpose
        [proc(30, 'nginx', [1]), proc(20, 'nginx', [1]), proc(40, 'cli', [2])],
        {
          'net:[1]': [
            sock(['0.0.0.0', 80], ['0.0.0.0', 0], LISTEN, 1),
            sock(['127.0.0.1', 80], ['127.0.0.1', 40000], EST, 9),
            sock(['127.0.0.1', 40000], ['127.0.0.1', 80], EST, 2),
          ],
        },
      ),
      facts,
    );
    expect(t.processes.map((p) => [p.key, p.pid, p.instances])).toEqual([
      ['nginx[80]', 20, 2],
      ['cli', 40, 1],
    ]);
    expect(t.listeners).toEqual([{ node: 'process:h/nginx[80]', address: '0.0.0.0', port: 80, family: 'ipv4' }]);
    // an edge needs the owners of both ends: the accepted socket (inode 9) is nobody's, so the client has a remote
    expect(t.edges).toEqual([]);
    expect(t.remotes).toEqual([
      { node: 'process:h/cli', direction: 'outbound', address: '127.0.0.1', port: 80, connections: 1 },
    ]);
  });

  it('finds the other end in another namespace unless it is loopback, and counts connections per edge', () => {
    const t = buildTopology(
      snapshot(
        [
          proc(10, 'web', [1, 11, 12, 13], { containerId: 'a'.repeat(64), runtime: 'docker', netns: 'net:[2]' }),
          proc(50, 'cli', [21, 22, 23]),
        ],
        {
          'net:[1]': [
            sock(['172.17.0.1', 45000], ['172.17.0.2', 80], EST, 21),
            sock(['172.17.0.1', 45001], ['172.17.0.2', 80], EST, 22),
            // loopback in the host namespace never pairs with the container's loopback
            sock(['127.0.0.1', 45002], ['127.0.0.1', 80], EST, 23),
          ],
          'net:[2]': [
            sock(['0.0.0.0', 80], ['0.0.0.0', 0], LISTEN, 1),
            sock(['172.17.0.2', 80], ['172.17.0.1', 45000], EST, 11),
            sock(['172.17.0.2', 80], ['172.17.0.1', 45001], EST, 12),
            sock(['127.0.0.1', 80], ['127.0.0.1', 45002], EST, 13),
          ],
        },
      ),
      facts,
    );
    const web = `process:h/web[80]@${'a'.repeat(12)}`;
    expect(t.containers).toEqual([
      { id: `container:h/${'a'.repeat(12)}`, containerId: 'a'.repeat(12), runtime: 'docker', parent: 'host:h' },
    ]);
    expect(t.edges).toEqual([{ source: 'process:h/cli', target: web, port: 80, connections: 2 }]);
    expect(t.remotes).toEqual([
      { node: 'process:h/cli', direction: 'outbound', address: '127.0.0.1', port: 80, connections: 1 },
      { node: web, direction: 'inbound', address: '127.0.0.1', port: 80, connections: 1 },
    ]);
  });

  it('treats a socket on a listening port as the server side only when the listener covers its address', () => {
    const t = buildTopology(
      snapshot([proc(10, 'srv', [1, 2, 3])], {
        'net:[1]': [
          sock(['127.0.0.1', 8080], ['0.0.0.0', 0], LISTEN, 1),
          // accepted on the listener's address: inbound
          sock(['127.0.0.1', 8080], ['192.0.2.9', 50000], EST, 2),
          // same port, another address (an outgoing connection bound to 8080): outbound
          sock(['10.0.0.1', 8080], ['192.0.2.9', 443], EST, 3),
        ],
      }),
      facts,
    );
    expect(t.remotes).toEqual([
      { node: 'process:h/srv[8080]', direction: 'inbound', address: '192.0.2.9', port: 8080, connections: 1 },
      { node: 'process:h/srv[8080]', direction: 'outbound', address: '192.0.2.9', port: 443, connections: 1 },
    ]);
  });
});

describe('buildTopology with a memo', () => {
  const server = [
    sock(['0.0.0.0', 80], ['0.0.0.0', 0], LISTEN, 1),
    sock(['127.0.0.1', 80], ['127.0.0.1', 40000], EST, 9),
  ];
  const client = [sock(['127.0.0.1', 40000], ['127.0.0.1', 80], EST, 8)];

  it('resolves again only when a socket list or an owner changed, with the same result as without', () => {
    const memo = {};
    const inodes = { web: [1, 9], cli: [8] };
    const procs = (cpuSeconds: number): ProcRecord[] => [
      proc(20, 'web', inodes.web, { cpuSeconds }),
      proc(40, 'cli', inodes.cli, { cpuSeconds }),
    ];
    const sockets = { 'net:[1]': [...server, ...client] };
    const first = buildTopology(snapshot(procs(1), sockets), facts, memo);
    const second = buildTopology(snapshot(procs(2), sockets), facts, memo);
    expect(second.edges).toBe(first.edges);
    expect(second).toEqual(buildTopology(snapshot(procs(2), sockets), facts));
    expect(second.processes.map((p) => p.cpuSeconds)).toEqual([2, 2]);

    // a new list (the table changed): resolved again
    const fewer = { 'net:[1]': [...server] };
    const third = buildTopology(snapshot(procs(2), fewer), facts, memo);
    expect(third.edges).not.toBe(first.edges);
    expect(third).toEqual(buildTopology(snapshot(procs(2), fewer), facts));
    // an fd table read again: resolved again
    inodes.cli = [8];
    const fourth = buildTopology(snapshot(procs(2), fewer), facts, memo);
    expect(fourth.edges).not.toBe(third.edges);
  });
});
