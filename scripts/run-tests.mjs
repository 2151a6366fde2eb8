// Runs every check and test, then prints one closing line: "N passed, N failed".
// Checks (typecheck, lint, format) count as one test each; jest reports its own tests.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const jestArgs = process.argv.slice(2);
let passed = 0;
let failed = 0;

function step(name, cmd, args) {
  console.log(`\n== ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status === 0) passed++;
  else {
    failed++;
    console.log(`FAILED: ${name}`);
  }
}

const workspaces = ['common', 'exporter', 'datasource-plugin', 'panel-plugin', 'demo', 'e2e', 'bench', 'provisioning'];
if (jestArgs.length === 0) {
  for (const ws of workspaces) {
    if (existsSync(`${root}/${ws}/tsconfig.json`)) step(`typecheck ${ws}`, 'npx', ['tsc', '-p', `${ws}/tsconfig.json`]);
  }
  step('lint', 'npx', ['eslint', '--max-warnings=0', '.']);
  step('format', 'npx', ['prettier', '--check', '--log-level=warn', '.']);
}

mkdirSync(`${root}/.tmp`, { recursive: true });

/** One jest run; its tests count towards the closing line. */
function jest(name, args, env = {}) {
  const out = `${root}/.tmp/jest-results${name ? `-${name}` : ''}.json`;
  console.log(`\n== jest${name ? ` (${name})` : ''}`);
  const j = spawnSync('npx', ['jest', '--json', `--outputFile=${out}`, ...args], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  if (existsSync(out)) {
    const r = JSON.parse(readFileSync(out, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    // A suite that fails to load (syntax error, crash) has no failed test: count it as one.
    failed += r.testResults.filter(
      (s) => s.status === 'failed' && s.assertionResults.every((a) => a.status !== 'failed'),
    ).length;
    if (r.numTotalTests === 0) failed++;
  } else {
    failed++;
    console.log(`FAILED: jest wrote no results (exit ${j.status})`);
  }
}

jest('', jestArgs, { TIMESCOPE_GRAFANA_LINE: process.env.TIMESCOPE_GRAFANA_LINE ?? '13' });
// The browser tests once more in the plugin host built for Grafana 12.3 (React 18, @grafana/* 12.3).
if (jestArgs.length === 0) {
  const browserTests = ['e2e/panel\\.', 'e2e/demo\\.test', 'e2e/host/(loader|thirdparty)\\.test'];
  jest('grafana12', browserTests, { TIMESCOPE_GRAFANA_LINE: '12' });
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
