// What a newcomer runs after cloning: `npm run typecheck` / `npx tsc -b` from the top (the top tsconfig.json is the
// solution file naming every project), and `npx timescope-exporter --help` after `npm ci && npm run build` (the bin
// npm links is a committed launcher that runs dist/cli.js, or says to build).
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '..');
const LAUNCHER = join(ROOT, 'exporter', 'bin', 'timescope-exporter.js');

jest.setTimeout(60_000);

const json = <T>(file: string): T => JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as T;

async function node(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, args, { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('the top tsconfig.json: the solution file', () => {
  const solution = json<{ files?: string[]; references?: { path: string }[] }>('tsconfig.json');
  const projects = readdirSync(ROOT, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'node_modules' && existsSync(join(ROOT, d.name, 'tsconfig.json')))
    .map((d) => d.name)
    .sort();

  it('compiles nothing itself and references every folder with a tsconfig.json, every workspace among them', () => {
    expect(solution.files).toEqual([]);
    const referenced = (solution.references ?? []).map((r) => r.path).sort();
    expect(referenced).toEqual(projects);
    expect(referenced).toEqual(expect.arrayContaining(json<{ workspaces: string[] }>('package.json').workspaces));
  });

  it('is what npm run typecheck builds, and tsc -b plans every project from it', async () => {
    expect(json<{ scripts: Record<string, string> }>('package.json').scripts.typecheck).toBe('tsc -b tsconfig.json');
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = await node(tsc, '-b', 'tsconfig.json', '--dry', '--verbose');
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const listed = r.stdout.slice(r.stdout.indexOf('Projects in this build:'));
    for (const p of projects) expect(listed).toContain(`${p}/tsconfig.json`);
  });
});

describe('the timescope-exporter command', () => {
  it('is a committed, executable launcher, which package.json names as the bin', async () => {
    const bin = json<{ bin: Record<string, string> }>('exporter/package.json').bin;
    expect(bin).toEqual({ 'timescope-exporter': 'bin/timescope-exporter.js' });
    const { stdout } = await run('git', ['ls-files', '-s', 'exporter/bin/timescope-exporter.js'], { cwd: ROOT });
    expect(stdout).toMatch(/^100755 /);
    expect(readFileSync(LAUNCHER, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });

  it('runs the built CLI: --help prints the usage, a bad flag is exit code 2', async () => {
    if (!existsSync(join(ROOT, 'exporter', 'dist', 'cli.js'))) throw new Error('build first: npm run build');
    const help = await node(LAUNCHER, '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: timescope-exporter \[flags\]/);
    expect(help.stdout).toContain('--web.listen-address');
    const bad = await node(LAUNCHER, '--no.such-flag');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^timescope-exporter: /);
  });

  it('says to build when dist/cli.js is not there', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'timescope-launcher-'));
    try {
      mkdirSync(join(tmp, 'bin'));
      copyFileSync(LAUNCHER, join(tmp, 'bin', 'timescope-exporter.js'));
      const r = await node(join(tmp, 'bin', 'timescope-exporter.js'), '--help');
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('not built yet');
      expect(r.stderr).toContain('npm run build');
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
