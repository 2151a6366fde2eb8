import { execFile } from 'node:child_process';
import { chmodSync, existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { CLUSTER_VIEWS, VIEWS_SAID, missingViewsLine } from './preflight';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '..', '..');
const FREE_PORTS = ['--base-port=0', '--exporter.port=0', '--prometheus.port=0', '--preview.port=0'];

jest.setTimeout(60_000);

/** The preflight as start.sh runs it (from source), as user nobody, so that no cgroup can be made. */
async function preflightAsNobody(args: string[], env: NodeJS.ProcessEnv = {}) {
  const clean = { ...process.env, ...env };
  if (!(VIEWS_SAID in env)) delete clean[VIEWS_SAID];
  const cmd = ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath];
  const script = ['-r', join(ROOT, 'scripts', 'register-swc.js'), join(__dirname, 'preflight.ts')];
  return run('setpriv', [...cmd, ...script, ...FREE_PORTS, ...args], { env: clean, cwd: ROOT });
}

const canDropRoot = process.getuid?.() === 0 && existsSync('/usr/bin/setpriv');

/**
 * The folders above the checkout that user nobody cannot pass through (a clone made in `mktemp -d` is 0700), each
 * with its mode: nobody is given the right to pass (o+x, not to list) for the test, and the modes are put back.
 */
function closedToOthers(): { dir: string; mode: number }[] {
  const out: { dir: string; mode: number }[] = [];
  for (let dir = ROOT; ; dir = dirname(dir)) {
    const mode = statSync(dir).mode & 0o7777;
    if ((mode & 0o001) === 0) out.push({ dir, mode });
    if (dirname(dir) === dir) return out;
  }
}

let reopened: { dir: string; mode: number }[] = [];
beforeAll(() => {
  if (!canDropRoot) return;
  reopened = closedToOthers();
  for (const { dir, mode } of reopened) chmodSync(dir, mode | 0o001);
});
afterAll(() => {
  for (const { dir, mode } of reopened) chmodSync(dir, mode);
});

describe('the demo preflight on the views it cannot show', () => {
  it('says in one line which views stay empty and why', () => {
    const line = missingViewsLine('not root: EACCES');
    expect(line).not.toContain('\n');
    for (const v of CLUSTER_VIEWS) expect(line).toContain(v);
    expect(line).toContain('(not root: EACCES)');
    expect(line).toContain('the host and process views are shown');
  });

  (canDropRoot ? it : it.skip)('without root: one line, and the demo goes on (exit 0)', async () => {
    const { stdout, stderr } = await preflightAsNobody([]);
    expect(stderr).toBe('');
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^demo: the container, pod, workload, service views will be empty: .*\(not root: /);
  });

  (canDropRoot ? it : it.skip)('says nothing when it was said already, or with --cluster=false', async () => {
    expect((await preflightAsNobody([], { [VIEWS_SAID]: '1' })).stdout).toBe('');
    expect((await preflightAsNobody(['--cluster=false'])).stdout).toBe('');
  });
});
