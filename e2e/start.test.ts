// `npm start` as a user runs it, with real processes, and cheap: nothing here installs or builds.
// --help, a bad flag and a taken port are answered by the preflight, before any install or build; the build
// stamps are checked with scripts/lib/stamps.sh (the file scripts/build.sh sources) on a tiny temp tree; and a
// signal to npm (SIGTERM, SIGINT) stops every process the demo started, run on the already-built demo
// (TIMESCOPE_START_NO_BUILD=1: start.sh neither installs nor builds).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { waitFor } from '@timescope/common/testing';

jest.setTimeout(60_000);

const ROOT = resolve(__dirname, '..');
/** What a build step would print: the preflight answers must come before any of it. */
const BUILDING = /^(start: checking|setup:|build:)/m;

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function npmStart(
  args: string[],
  opts: { detached?: boolean } = {},
): { child: ChildProcess; run: Run; done: Promise<Run> } {
  const child = spawn('npm', ['start', '--', ...args], {
    cwd: ROOT,
    detached: opts.detached ?? false,
    stdio: ['ignore', 'pipe', 'pipe'],
    // the preflight paths answer before this matters; the signal test runs what is built
    env: { ...process.env, TIMESCOPE_START_NO_BUILD: '1' },
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
  return { child, run, done };
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
    const r = await npmStart(['--help']).done;
    expect(r.code).toBe(0);
    expect(r.out).toContain('usage: npm start');
    expect(r.out).toContain('--prometheus.port');
    expect(r.out).not.toMatch(BUILDING);
  });

  it('refuses a bad flag at once, naming it, without installing or building', async () => {
    const r = await npmStart(['--prometheus.port=http']).done;
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('--prometheus.port: bad value "http"');
    expect(r.out).not.toMatch(BUILDING);
    const unknown = await npmStart(['--no-such-flag']).done;
    expect(unknown.code).not.toBe(0);
    expect(unknown.err).toContain('unknown argument "--no-such-flag"');
  });

  it('says a taken port at once, in one line, and starts nothing', async () => {
    listener = createServer();
    const port = await new Promise<number>((r) =>
      listener!.listen(0, '127.0.0.1', () => r((listener!.address() as { port: number }).port)),
    );
    const r = await npmStart([`--prometheus.port=${port}`, '--exporter.port=0', '--preview.port=0']).done;
    expect(r.code).not.toBe(0);
    const lines = r.err.split('\n').filter((l) => l.includes(String(port)));
    expect(lines).toEqual([expect.stringContaining(`port ${port} (--prometheus.port) is already in use`)]);
    expect(r.out).not.toMatch(BUILDING);
  });

  it('builds a step once, skips it while its inputs are unchanged, says so, and rebuilds when one changes', () => {
    // build.sh's own stamp logic on a tiny tree: a "build" that copies src/ into out/
    const tree = join(state, 'stamps');
    mkdirSync(join(tree, 'src'), { recursive: true });
    writeFileSync(join(tree, 'src', 'a.ts'), 'export const a = 1;\n');
    const lib = join(ROOT, 'scripts', 'lib', 'stamps.sh');
    const build = (env: NodeJS.ProcessEnv = {}): string =>
      execFileSync('bash', ['-c', `set -euo pipefail; source "${lib}"; step tiny out/a.ts "src" cp -r src/. out/`], {
        cwd: tree,
        encoding: 'utf8',
        env: { ...process.env, ...env },
      });
    expect(build()).toContain('build: tiny: cp -r src/. out/');
    expect(readFileSync(join(tree, 'out', 'a.ts'), 'utf8')).toBe('export const a = 1;\n');
    expect(build()).toBe('build: tiny is up to date\n');
    // an edited input (new content, new mtime) is built again
    writeFileSync(join(tree, 'src', 'a.ts'), 'export const a = 2;\n');
    utimesSync(join(tree, 'src', 'a.ts'), new Date(2030, 0, 1), new Date(2030, 0, 1));
    expect(build()).toContain('build: tiny: cp -r src/. out/');
    expect(readFileSync(join(tree, 'out', 'a.ts'), 'utf8')).toBe('export const a = 2;\n');
    // a test file is no input of a build
    writeFileSync(join(tree, 'src', 'a.test.ts'), 'test\n');
    expect(build()).toBe('build: tiny is up to date\n');
    // a removed output is built again, and TIMESCOPE_BUILD_FORCE rebuilds anyway
    rmSync(join(tree, 'out'), { recursive: true });
    expect(build()).toContain('build: tiny: cp -r src/. out/');
    expect(build({ TIMESCOPE_BUILD_FORCE: '1' })).toContain('build: tiny: cp -r src/. out/');
    // scripts/build.sh uses this very file
    expect(readFileSync(join(ROOT, 'scripts', 'build.sh'), 'utf8')).toContain('source scripts/lib/stamps.sh');
  });

  it('stops every process the demo started on SIGTERM and on SIGINT to npm', async () => {
    expect(existsSync(join(ROOT, 'demo', 'dist', 'main.js'))).toBe(true); // built before the e2e tests run
    // two demos at once, one per signal: free ports everywhere
    const args = ['--short', '--base-port=0', '--exporter.port=0', '--prometheus.port=0', '--preview.port=0'];
    const runs = (['SIGTERM', 'SIGINT'] as const).map((signal) => {
      const r = npmStart([...args, `--state-dir=${join(state, signal)}`], { detached: true });
      groups.push(r.child.pid!);
      return { signal, ...r };
    });
    const results = await Promise.all(
      runs.map(async ({ signal, child, run, done }) => {
        await waitFor(
          `the demo banner (${signal})`,
          async () => {
            if (run.code !== null) throw new Error(`npm start exited: ${run.out}${run.err}`);
            return run.out.includes('Timescope demo is running');
          },
          45_000,
        );
        expect(run.out).not.toMatch(/^(setup|build):/m); // nothing was installed or built
        const pgid = child.pid!;
        const started = groupMembers(pgid).length;
        process.kill(pgid, signal); // to npm alone, not to its group
        await done;
        const left = await waitFor(
          'every process of the demo gone',
          async () => (groupMembers(pgid).length === 0 ? [] : undefined),
          15_000,
        ).catch(() => groupMembers(pgid));
        return { signal, manyStarted: started > 10, left: left.length };
      }),
    );
    // npm, the demo, the shop, the exporter, Prometheus, the preview: more than ten processes, none left
    expect(results).toEqual([
      { signal: 'SIGTERM', manyStarted: true, left: 0 },
      { signal: 'SIGINT', manyStarted: true, left: 0 },
    ]);
  }, 120_000); // a generous bound for a loaded machine: on a quiet one the demo is up in a few seconds
});
