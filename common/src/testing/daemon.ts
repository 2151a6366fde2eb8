// Starts a long-running binary for tests (Prometheus, VictoriaMetrics, vmalert, vmagent, agents): waits until an HTTP
// check answers, keeps the tail of its log for the error when it dies, and stops it with SIGTERM (SIGKILL after 5 s).
import { spawn, type ChildProcess } from 'node:child_process';
import { waitFor } from './ports';

export interface Daemon {
  process: ChildProcess;
  /** the last few KB of its stdout and stderr */
  log(): string;
  kill(): Promise<void>;
}

export async function startDaemon(
  name: string,
  command: string,
  args: string[],
  readyUrl: string,
  timeoutMs = 30_000,
): Promise<Daemon> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const keep = (d: Buffer): void => {
    tail = (tail + d.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
  };
  try {
    await waitFor(
      `${name} to be ready`,
      async () => {
        if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}): ${tail}`);
        const r = await fetch(readyUrl);
        return r.ok;
      },
      timeoutMs,
    );
  } catch (e) {
    await kill();
    throw e;
  }
  return { process: child, log: () => tail, kill };
}
