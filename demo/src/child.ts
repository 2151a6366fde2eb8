// A long-running helper process of the demo (the exporter, Prometheus): started, waited for until it answers,
// stopped with SIGTERM (SIGKILL after a grace period). Its last output is kept for the error message if it dies.
import { spawn, type ChildProcess } from 'node:child_process';
import { waitFor } from '@timescope/common/testing';

export interface Child {
  name: string;
  process: ChildProcess;
  /** the last few KB of its output */
  log(): string;
  stop(): Promise<void>;
}

export async function startChild(
  name: string,
  command: string,
  args: string[],
  readyUrl: string,
  opts: { cwd?: string; timeoutMs?: number } = {},
): Promise<Child> {
  const proc = spawn(command, args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (d: Buffer): void => {
    out = (out + d.toString()).slice(-8000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  let spawnError: Error | undefined;
  proc.on('error', (e) => (spawnError = e));
  const exited = new Promise<void>((resolve) => proc.once('close', () => resolve()));
  const child: Child = {
    name,
    process: proc,
    log: () => out,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null && !spawnError) {
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 8000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
  try {
    await waitFor(
      `${name} at ${readyUrl}`,
      async () => {
        if (spawnError) throw new Error(`${name}: ${spawnError.message}`);
        if (proc.exitCode !== null) throw new Error(`${name} exited (${proc.exitCode}): ${out.trim()}`);
        return (await fetch(readyUrl)).ok;
      },
      opts.timeoutMs ?? 60_000,
    );
  } catch (e) {
    await child.stop();
    throw e;
  }
  return child;
}
