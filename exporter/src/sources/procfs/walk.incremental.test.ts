// The incremental walk against the full one on the real /proc: real processes open and close real loopback
// connections between walks (new processes, new sockets in known processes, closed sockets, exits), and after each
// change both walks must give the same edges, listeners and connection counts for this test's processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { buildTopology } from './model/buildTopology';
import type { Topology } from './model/topology';
import { runTag, startClient, startServer, type NetProcess } from '../../testutil/netProcesses';
import { ProcWalker } from './walk';

jest.setTimeout(60_000);

// A client driven over stdin: "open <n>" opens n connections to the port, "close <n>" closes n; it answers "ok <open>".
const DRIVEN = `
process.title = process.argv[1];
const port = Number(process.argv[2]);
const open = [];
let buf = '';
const answer = () => console.log('ok ' + open.length);
process.stdin.on('data', (d) => {
  buf += d;
  for (let nl; (nl = buf.indexOf('\\n')) >= 0; buf = buf.slice(nl + 1)) {
    const [cmd, n] = buf.slice(0, nl).split(' ');
    if (cmd === 'close') { open.splice(0, Number(n)).forEach((c) => c.destroy()); setTimeout(answer, 50); continue; }
    let left = Number(n);
    if (left === 0) answer();
    for (let i = 0; i < Number(n); i++) {
      const c = require('node:net').connect(port, '127.0.0.1', () => { open.push(c); if (--left === 0) answer(); });
      c.on('error', () => {});
    }
  }
});
`;

interface Driven {
  child: ChildProcess;
  send(cmd: string): Promise<number>;
  stop(): Promise<void>;
}

function startDriven(title: string, port: number): Driven {
  const child = spawn(process.execPath, ['-e', DRIVEN, title, String(port)], { stdio: ['pipe', 'pipe', 'inherit'] });
  let waiting: ((n: number) => void)[] = [];
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    for (let m; (m = /ok (\d+)\n/.exec(out)); out = out.slice(m.index + m[0].length)) waiting.shift()?.(Number(m[1]));
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child,
    send: (cmd) =>
      new Promise((resolve) => {
        waiting.push(resolve);
        child.stdin?.write(`${cmd}\n`);
      }),
    stop: async () => {
      waiting = [];
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

const facts = { hostname: hostname(), kernel: '', os: '', addresses: [] };

/** This test's part of a topology, as sorted text: edges with counts, and listeners. */
function mine(t: Topology, tag: string): string[] {
  const ours = (id: string): boolean => id.includes(`/t${tag}-`);
  return [
    ...t.edges
      .filter((e) => ours(e.source) || ours(e.target))
      .map((e) => `edge ${e.source} -> ${e.target}:${e.port} = ${e.connections}`),
    ...t.listeners.filter((l) => ours(l.node)).map((l) => `listen ${l.node} ${l.address}:${l.port}`),
    ...t.processes.filter((p) => ours(p.id)).map((p) => `node ${p.id} x${p.instances}`),
  ].sort();
}

describe('the incremental walk', () => {
  const procs: { stop(): Promise<void> }[] = [];
  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop()));
  });

  it('gives the same edges and connection counts as the full walk while connections come and go', async () => {
    const tag = runTag();
    const server: NetProcess = await startServer(`t${tag}-srv`, '127.0.0.1');
    procs.push(server);
    const incremental = new ProcWalker({ root: '/proc' });
    const full = new ProcWalker({ root: '/proc', incremental: false });
    // known processes' stats not read again during the test: new and exited processes still show at once
    const statsOnce = new ProcWalker({ root: '/proc', statSeconds: 3600 });
    const compare = (): { fdReads: number; fullReads: number; edges: string[] } => {
      const a = mine(buildTopology(incremental.walk(), facts), tag);
      const b = mine(buildTopology(full.walk(), facts), tag);
      expect(a).toEqual(b);
      expect(mine(buildTopology(statsOnce.walk(), facts), tag)).toEqual(b);
      return { fdReads: incremental.fdReads, fullReads: full.fdReads, edges: a.filter((l) => l.startsWith('edge')) };
    };
    const edge = (name: string, n: number): string =>
      `edge process:${hostname()}/t${tag}-${name} -> process:${hostname()}/t${tag}-srv[${server.port}]:${server.port} = ${n}`;

    const a = startDriven(`t${tag}-a`, server.port);
    procs.push(a);
    await a.send('open 3');
    expect(compare().edges).toEqual([edge('a', 3)]);
    // (how few fd tables a steady host costs is in walk.test.ts: this shared host is never steady)

    // new sockets in a known process
    await a.send('open 2');
    expect(compare().edges).toEqual([edge('a', 5)]);
    // closed sockets in a known process
    await a.send('close 4');
    expect(compare().edges).toEqual([edge('a', 1)]);
    // a new process, then one that closes and opens at once
    const b = startDriven(`t${tag}-b`, server.port);
    procs.push(b);
    await b.send('open 4');
    expect(compare().edges).toEqual([edge('a', 1), edge('b', 4)]);
    await a.send('close 1');
    await a.send('open 2');
    expect(compare().edges).toEqual([edge('a', 2), edge('b', 4)]);
    // a reconnect: one closed and one opened between two walks, the same count of fds (searched first, as a process
    // that closed a socket)
    await a.send('close 1');
    await a.send('open 1');
    expect(compare().edges).toEqual([edge('a', 2), edge('b', 4)]);
    // an exit
    await b.stop();
    await new Promise((r) => setTimeout(r, 100));
    expect(compare().edges).toEqual([edge('a', 2)]);
  });
});

describe('a server listening inside the ephemeral port range', () => {
  const procs: NetProcess[] = [];
  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop()));
  });

  it('is the target of its edges: the listener decides the server end, not the port number', async () => {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'latin1')
      .trim()
      .split(/\s+/)
      .map(Number);
    const tag = runTag();
    // port 0: the kernel picks the listening port from the ephemeral range, where the clients' ports are too
    const server = await startServer(`t${tag}-eph`, '127.0.0.1');
    procs.push(server);
    expect(server.port).toBeGreaterThanOrEqual(low);
    expect(server.port).toBeLessThanOrEqual(high);
    const clients = [await startClient(`t${tag}-c1`, '127.0.0.1', server.port, 3)];
    clients.push(await startClient(`t${tag}-c2`, '127.0.0.1', server.port, 2));
    procs.push(...clients);
    for (const walker of [new ProcWalker({ root: '/proc' }), new ProcWalker({ root: '/proc', incremental: false })]) {
      const edges = mine(buildTopology(walker.walk(), facts), tag).filter((l) => l.startsWith('edge'));
      const target = `process:${hostname()}/t${tag}-eph[${server.port}]`;
      expect(edges).toEqual([
        `edge process:${hostname()}/t${tag}-c1 -> ${target}:${server.port} = 3`,
        `edge process:${hostname()}/t${tag}-c2 -> ${target}:${server.port} = 2`,
      ]);
    }
  });
});
