// Real processes talking TCP over loopback, with names the tests control: each is `node -e` setting process.title,
// so /proc/<pid>/stat shows the title (cut to 15 characters) as the process name.
import { spawn, type ChildProcess } from 'node:child_process';

export interface NetProcess {
  title: string;
  child: ChildProcess;
  pid: number;
  /** the listening port (servers) */
  port: number;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  /** run as this user (tests that check what a non-root exporter sees) */
  uid?: number;
  gid?: number;
}

const SERVER = `
process.title = process.argv[1];
const server = require('node:net').createServer((c) => c.on('error', () => {}));
server.listen({ port: 0, host: process.argv[2], ipv6Only: false }, () => console.log('ready ' + server.address().port));
`;

const CLIENT = `
process.title = process.argv[1];
const [host, port, count] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
let open = 0;
for (let i = 0; i < count; i++) {
  const c = require('node:net').connect(port, host, () => { if (++open === count) console.log('ready ' + count); });
  c.on('error', (e) => { console.error(e.message); process.exit(3); });
}
`;

function start(title: string, script: string, args: string[], opts: SpawnOptions): Promise<NetProcess> {
  const child = spawn(process.execPath, ['-e', script, title, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    uid: opts.uid,
    gid: opts.gid,
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  };
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ready (\d+)/.exec(out);
      if (m) resolve({ title, child, pid: child.pid ?? 0, port: Number(m[1]), stop });
    });
    child.once('exit', (code) => reject(new Error(`${title} exited with ${code}: ${err}`)));
  });
}

/** A TCP server named `title` listening on `host` ('127.0.0.1', '::1', or '::' for dual stack) and a free port. */
export function startServer(title: string, host: string, opts: SpawnOptions = {}): Promise<NetProcess> {
  return start(title, SERVER, [host], opts);
}

/** A process named `title` holding `count` established connections to host:port; resolves once all are open. */
export function startClient(
  title: string,
  host: string,
  port: number,
  count: number,
  opts: SpawnOptions = {},
): Promise<NetProcess> {
  return start(title, CLIENT, [host, String(port), String(count)], opts);
}

/** A short tag that makes process names unique per test run (names are cut at 15 characters). */
export function runTag(): string {
  return Math.random().toString(36).slice(2, 6);
}
