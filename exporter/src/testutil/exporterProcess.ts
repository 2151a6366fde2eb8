// Starts the exporter CLI as a child process (from source by default, or the built dist/cli.js) on a free port and
// waits for /readyz. Tests use it to check what a user would see: the /metrics text of a real exporter process.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort, waitFor } from '@timescope/common/testing';

export const REPO_ROOT = resolve(__dirname, '../../..');

export interface ExporterProcessOptions {
  /** extra flags, e.g. ['--probe.interval=1s', '--no-collector.procfs'] */
  args?: string[];
  /** extra environment variables (merged over process.env) */
  env?: Record<string, string>;
  /** port on 127.0.0.1; a free one when omitted */
  port?: number;
  /** run exporter/dist/cli.js (needs `bash scripts/build.sh`) instead of the TypeScript source */
  built?: boolean;
  /** how long to wait for /readyz (default 30 s) */
  readyTimeoutMs?: number;
  /** run as this user and group (what a non-root exporter sees) */
  uid?: number;
  gid?: number;
}

export interface ExporterProcess {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  child: ChildProcess;
  /** stdout and stderr so far (the last 64 kB) */
  logs(): string;
  /** GET /metrics text */
  metrics(): Promise<string>;
  /** SIGTERM (or the given signal) and wait for exit; resolves to the exit code (null when killed by a signal) */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** SIGKILL and wait for exit: a crash, no graceful shutdown */
  kill(): Promise<void>;
  /** starts a new exporter with the same options and port (after stop or kill) */
  restart(): Promise<ExporterProcess>;
}

/** The command line that runs the exporter CLI: [node, ...args]. */
export function exporterCommand(built = false): string[] {
  if (built) return [process.execPath, resolve(REPO_ROOT, 'exporter/dist/cli.js')];
  // TIMESCOPE_PROFILE_DIR=<dir>: the exporter writes a V8 CPU profile there on exit (node --cpu-prof), for benches
  const dir = process.env.TIMESCOPE_PROFILE_DIR;
  return [
    process.execPath,
    ...(dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []),
    '-r',
    resolve(REPO_ROOT, 'scripts/register-swc.js'),
    resolve(REPO_ROOT, 'exporter/src/cli.ts'),
  ];
}

export async function startExporterProcess(opts: ExporterProcessOptions = {}): Promise<ExporterProcess> {
  const port = opts.port ?? (await freePort());
  const [node, ...cli] = exporterCommand(opts.built);
  const args = [...cli, `--web.listen-address=127.0.0.1:${port}`, ...(opts.args ?? [])];
  const child = spawn(node, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    uid: opts.uid,
    gid: opts.gid,
  });
  let log = '';
  const keep = (d: Buffer): void => {
    log = (log + d.toString()).slice(-65536);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const url = `http://127.0.0.1:${port}`;

  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    }
    return child.exitCode;
  };

  try {
    await waitFor(
      'the exporter to be ready',
      async () => {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`exporter exited (${child.exitCode ?? child.signalCode}): ${log}`);
        }
        const r = await fetch(`${url}/readyz`);
        return r.status === 200;
      },
      opts.readyTimeoutMs ?? 30_000,
    );
  } catch (e) {
    await stop('SIGKILL');
    throw new Error(`${(e as Error).message}\n--- exporter log ---\n${log}`);
  }

  return {
    url,
    port,
    child,
    logs: () => log,
    metrics: async () => {
      const r = await fetch(`${url}/metrics`);
      if (!r.ok) throw new Error(`GET /metrics: ${r.status}`);
      return r.text();
    },
    stop,
    kill: async () => {
      await stop('SIGKILL');
    },
    restart: () => startExporterProcess({ ...opts, port }),
  };
}
