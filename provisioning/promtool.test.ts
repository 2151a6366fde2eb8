// Prometheus' own checker over the provisioned config and rules, and the alert rules' unit tests.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';

const run = promisify(execFile);
const dir = join(__dirname, 'prometheus');
const yamlFiles = (sub: string): string[] =>
  readdirSync(join(dir, sub))
    .filter((f) => f.endsWith('.yml'))
    .map((f) => join(dir, sub, f));

async function promtool(...args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run('promtool', args, { cwd: dir });
    return stdout + stderr;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`promtool ${args.join(' ')} failed:\n${err.stdout ?? ''}${err.stderr ?? err.message}`);
  }
}

interface RuleGroups {
  groups: { rules: { alert?: string; record?: string }[] }[];
}
interface RuleTests {
  rule_files: string[];
  tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
}

jest.setTimeout(30_000);

describe('Prometheus provisioning', () => {
  it('passes promtool check config (which also checks every rule file it loads)', async () => {
    expect(await promtool('check', 'config', 'prometheus.yml')).toContain('SUCCESS');
  });

  it('passes promtool check rules for every rule file', async () => {
    const files = yamlFiles('rules');
    expect(files.map((f) => f.split('/').pop())).toContain('alerts.yml');
    expect(await promtool('check', 'rules', ...files)).not.toContain('FAILED');
  });

  it('passes promtool test rules, with a firing case for every alert', async () => {
    const tests = yamlFiles('tests');
    await promtool('test', 'rules', ...tests);
    const alerts = yamlFiles('rules').flatMap((f) =>
      (parse(readFileSync(f, 'utf8')) as RuleGroups).groups.flatMap((g) => g.rules.map((r) => r.alert)),
    );
    const fired = new Set(
      tests.flatMap((f) =>
        (parse(readFileSync(f, 'utf8')) as RuleTests).tests.flatMap((t) =>
          (t.alert_rule_test ?? []).filter((a) => a.exp_alerts.length > 0).map((a) => a.alertname),
        ),
      ),
    );
    const untested = alerts.filter((a): a is string => a !== undefined && !fired.has(a));
    expect(untested).toEqual([]);
  });

  it('has a promtool test loading every rule file', () => {
    const loaded = new Set(
      yamlFiles('tests').flatMap((f) =>
        (parse(readFileSync(f, 'utf8')) as RuleTests).rule_files.map((r) => join(dir, 'tests', r)),
      ),
    );
    expect(yamlFiles('rules').filter((f) => !loaded.has(f))).toEqual([]);
  });
});
