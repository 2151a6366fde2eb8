import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PRESENCE_RULE_METRICS, presenceRuleGroup } from '@timescope/common';
import { parse, stringify } from 'yaml';
import { PROVISIONED_PROMETHEUS } from './demo';
import { demoPrometheusConfig } from './prometheusConfig';

const run = promisify(execFile);
const RULES = join(PROVISIONED_PROMETHEUS, '..', 'rules');

interface Config {
  global: { scrape_interval: string; evaluation_interval: string };
  rule_files: string[];
  scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
}

describe('the demo Prometheus config', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'timescope-demo-prom-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const demoConfig = (scrapeSeconds: number, provisionedPath = PROVISIONED_PROMETHEUS): Config =>
    parse(
      demoPrometheusConfig(
        readFileSync(provisionedPath, 'utf8'),
        provisionedPath,
        '127.0.0.1:19469',
        scrapeSeconds,
        join(dir, 'presence.yml'),
      ),
    ) as Config;

  it('scrapes the demo exporter at the demo interval', () => {
    const cfg = demoConfig(5);
    expect(cfg.global).toMatchObject({ scrape_interval: '5s', evaluation_interval: '5s' });
    expect(cfg.scrape_configs.find((s) => s.job_name === 'timescope')?.static_configs).toEqual([
      { targets: ['127.0.0.1:19469'] },
    ]);
  });

  it('loads every provisioned rule file by absolute path, but its own presence rule instead of the 15 s one', () => {
    expect(demoConfig(5).rule_files).toEqual([
      join(RULES, 'alerts.yml'),
      join(RULES, 'edges.yml'),
      join(dir, 'presence.yml'),
    ]);
  });

  it('is a config Prometheus accepts, with the presence rule rendered for the demo interval', async () => {
    writeFileSync(join(dir, 'presence.yml'), presenceRuleGroup(5));
    const config = join(dir, 'prometheus.yml');
    writeFileSync(config, stringify(demoConfig(5)));
    const { stdout } = await run('promtool', ['check', 'config', config]);
    expect(stdout).toContain('SUCCESS: 3 rule files found');
    expect(stdout).toContain(
      `${join(dir, 'presence.yml')}\n  SUCCESS: ${PRESENCE_RULE_METRICS.length + 1} rules found`,
    );
  });

  it('expands globs in rule file names and keeps files named one by one', () => {
    mkdirSync(join(dir, 'prov', 'rules'), { recursive: true });
    const prov = join(dir, 'prov', 'prometheus.yml');
    writeFileSync(
      prov,
      `rule_files: ['rules/*.yml', '${join(dir, 'extra.yml')}']\nscrape_configs: [{ job_name: timescope }]\n`,
    );
    writeFileSync(join(dir, 'prov', 'rules', 'b.yml'), 'groups: []\n');
    writeFileSync(join(dir, 'prov', 'rules', 'a.yml'), 'groups: []\n');
    writeFileSync(join(dir, 'prov', 'rules', 'notes.txt'), '');
    writeFileSync(join(dir, 'extra.yml'), 'groups: []\n');
    writeFileSync(join(dir, 'prov', 'rules', 'presence-15s.yml'), presenceRuleGroup(15));
    expect(demoConfig(1, prov).rule_files).toEqual([
      join(dir, 'prov', 'rules', 'a.yml'),
      join(dir, 'prov', 'rules', 'b.yml'),
      join(dir, 'extra.yml'),
      join(dir, 'presence.yml'),
    ]);
  });

  it('names the provisioned file when it has no timescope scrape job', () => {
    const prov = join(dir, 'prometheus.yml');
    writeFileSync(prov, 'scrape_configs: [{ job_name: other }]\n');
    expect(() => demoConfig(5, prov)).toThrow(`${prov}: no scrape job "timescope"`);
  });
});
