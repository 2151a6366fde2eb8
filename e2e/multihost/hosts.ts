// One "host" of the test cluster: in its network namespace, a new pid namespace with its own /proc runs the host's
// services and, as its pid 1, the built exporter. Killing the spawned `unshare` (or the test process dying) takes the
// whole pid namespace down (--kill-child), and destroyCluster kills whatever of it is left.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pidsIn, type NetHost } from './netns';

export interface HostService {
  name: string;
  port: number;
  /** `address:port:connections` to hold open */
  targets: string[];
}

export interface RunningHost {
  host: NetHost;
  child: ChildProcess;
  /** the exporter's output so far (the last 8 kB) */
  logs(): string;
  /** root-namespace pid of each named process of the host that runs now */
  pidsByName(): Map<string, number>;
  stop(): Promise<void>;
}

const SERVICE = resolve(__dirname, 'service.js');

let pdeathsig: string[] | undefined;
/** `setpriv --pdeathsig KILL` when util-linux has it: the host dies with the test even when the test is SIGKILLed. */
function dieWithParent(): string[] {
  if (pdeathsig === undefined) {
    try {
      const help = execFileSync('setpriv', ['--help'], { encoding: 'utf8', stdio: 'pipe' });
      pdeathsig = help.includes('--pdeathsig') ? ['setpriv', '--pdeathsig', 'KILL'] : [];
    } catch {
      pdeathsig = [];
    }
  }
  return pdeathsig;
}
const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export function startHost(host: NetHost, services: HostService[], exporter: string[], cwd: string): RunningHost {
  const node = process.execPath;
  const starts = services.map((s) => [node, SERVICE, s.name, String(s.port), ...s.targets].map(quote).join(' '));
  // The first service gets pid 2 of the host's pid namespace: the exporter must not take it for kthreadd.
  const script = [...starts.map((s) => `${s} &`), `exec ${exporter.map(quote).join(' ')}`].join('\n');
  const child = spawn(
    'ip',
    [
      ...['netns', 'exec', host.netns],
      ...dieWithParent(),
      ...['unshare', '--pid', '--fork', '--kill-child', '--mount-proc', 'sh', '-c', script],
    ],
    { cwd, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  const keep = (d: Buffer): void => {
    log = (log + d.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    host,
    child,
    logs: () => log,
    pidsByName: () => {
      const out = new Map<string, number>();
      for (const pid of pidsIn(host.netns)) {
        try {
          out.set(readFileSync(`/proc/${pid}/comm`, 'utf8').trim(), pid);
        } catch {
          // exited meanwhile
        }
      }
      return out;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
