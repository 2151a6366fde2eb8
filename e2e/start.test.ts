// `npm start` as a user runs it, with real processes: --help and a taken port are answered at once (before any
// install or build), a build that is up to date is skipped and says so, and a signal to npm (SIGTERM, SIGINT)
// stops every process the demo started: none of its process group is left.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { waitFor } from '@timescope/common/testing';

jest.setTimeout(180_000);

const ROOT = resolve(__dirname, '..');

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function npmStart(args: string[], opts: { detached?: boolean } = {}): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn('npm', ['start', '--', ...args], {
    cwd: ROOT,
    detached: opts.detached ?? false,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run: Run = { code: null, out: '', err: '' };
  child.stdout?.on('data', (d: Buffer) => (run.out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (run.err += d.toString()));
  const done = new Promise<Run>((r) =>
    child.once('close', (code) => {
      run.code = code;
      r(run);
    }),
  );
  Object.defineProperty(done, 'run', { value: run });
  return { child, done };
}

/** The pids of the live processes of a process group (ps, as a user would look). */
function groupMembers(pgid: number): number[] {
  const ps = execFileSync('ps', ['-eo', 'pid=,pgid=,stat='], { encoding: 'utf8' });
  return ps
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length === 3 && Number(f[1]) === pgid && !f[2].startsWith('Z'))
    .map((f) => Number(f[0]));
}

describe('npm start', () => {
  const state = mkdtempSync(join(tmpdir(), 'timescope-e2e-start-'));
  const groups: number[] = [];
  let listener: Server | undefined;

  afterAll(() => {
    listener?.close();
    for (const g of groups) for (const pid of groupMembers(g)) process.kill(pid, 'SIGKILL');
    rmSync(state, { recursive: true, force: true });
  });

  it('answers --help at once, without installing or building', async () => {
    const { done } = npmStart(['--help']);
    const r = await done;
    expect(r.code).toBe(0);
    expect(r.out).toContain('usage: npm start');
    expect(r.out).toContain('--prometheus.port');
    expect(r.out).not.toMatch(/^(setup|build|start):/m);
  });

  it('says a taken port at once, in one line, and starts nothing', async () => {
    listener = createServer();
    const port = await new Promise<number>((r) =>
      listener!.listen(0, '127.0.0.1', () => r((listener!.address() as { port: number }).port)),
    );
    const { done } = npmStart([`--prometheus.port=${port}`, '--exporter.port=0', '--preview.port=0']);
    const r = await done;
    expect(r.code).not.toBe(0);
    const lines = r.err.split('\n').filter((l) => l.includes(String(port)));
    expect(lines).toEqual([expect.stringContaining(`port ${port} (--prometheus.port) is already in use`)]);
    expect(r.out).not.toMatch(/^(setup|build|start):/m);
  });

  it('skips the builds that are up to date and says so, step by step', () => {
    // the e2e tests run after scripts/build.sh: a second run has nothing to do
    const out = execFileSync('bash', ['scripts/build.sh'], { cwd: ROOT, encoding: 'utf8' });
    for (const step of ['common', 'exporter', 'demo', 'datasource-plugin', 'panel-plugin', 'host-13']) {
      expect(out).toContain(`build: ${step} is up to date`);
    }
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'stops every process the demo started on %s to npm',
    async (signal) => {
      const args = ['--short', '--base-port=0', '--exporter.port=0', '--prometheus.port=0', '--preview.port=0'];
      const { child, done } = npmStart([...args, `--state-dir=${join(state, signal)}`], { detached: true });
      const pgid = child.pid!;
      groups.push(pgid);
      const run = (done as unknown as { run: Run }).run;
      await waitFor(
        'the demo banner',
        async () => {
          if (run.code !== null) throw new Error(`npm start exited: ${run.out}${run.err}`);
          return run.out.includes('Timescope demo is running');
        },
        150_000,
      );
      const started = groupMembers(pgid).length;
      expect(started).toBeGreaterThan(10); // npm, the demo, the shop, the exporter, Prometheus, the preview
      process.kill(pgid, signal); // to npm alone, not to its group
      await done;
      const left = await waitFor(
        'every process of the demo gone',
        async () => (groupMembers(pgid).length === 0 ? [] : undefined),
        20_000,
      ).catch(() => groupMembers(pgid));
      expect({ started, left: left.length }).toEqual({ started, left: 0 });
    },
    400_000,
  );
});
