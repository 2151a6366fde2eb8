// Turns the provisioned Prometheus config (provisioning/prometheus/prometheus.yml, written for Docker Compose) into
// the demo's: the exporter's address on loopback, the demo's scrape interval and absolute rule file paths. The
// provisioned presence rule is rendered for a 15 s scrape; the demo loads its own, rendered for its interval.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { PRESENCE_CHANGES } from '@timescope/common';
import { parse, stringify } from 'yaml';

interface ScrapeConfig {
  job_name: string;
  static_configs?: { targets: string[] }[];
}

interface PromConfig {
  global?: Record<string, unknown>;
  rule_files?: string[];
  scrape_configs?: ScrapeConfig[];
}

interface RuleGroups {
  groups?: { rules?: { record?: string }[] }[];
}

export const TIMESCOPE_JOB = 'timescope';

/**
 * The demo's prometheus.yml: the provisioned rule files, each by absolute path, but the presence rule at
 * `presenceRulePath` (presenceRuleGroup(scrapeSeconds), written by the caller) in place of the provisioned one.
 */
export function demoPrometheusConfig(
  provisioned: string,
  provisionedPath: string,
  exporter: string,
  scrapeSeconds: number,
  presenceRulePath: string,
): string {
  const cfg = parse(provisioned) as PromConfig;
  cfg.global = { ...cfg.global, scrape_interval: `${scrapeSeconds}s`, evaluation_interval: `${scrapeSeconds}s` };
  const base = dirname(provisionedPath);
  const files = (cfg.rule_files ?? []).flatMap((f) => ruleFiles(isAbsolute(f) ? f : join(base, f)));
  cfg.rule_files = [...files.filter((f) => !isPresenceRule(f)), presenceRulePath];
  const job = cfg.scrape_configs?.find((s) => s.job_name === TIMESCOPE_JOB);
  if (!job) throw new Error(`${provisionedPath}: no scrape job "${TIMESCOPE_JOB}"`);
  job.static_configs = [{ targets: [exporter] }];
  return stringify(cfg);
}

/**
 * The files a rule_files entry names. Prometheus has no way to leave one file out of a glob, so the demo lists
 * them; globs only in the file name, as the provisioned config writes them.
 */
function ruleFiles(pattern: string): string[] {
  const name = basename(pattern);
  if (!/[*?[]/.test(name)) return [pattern];
  const dir = dirname(pattern);
  if (/[*?[]/.test(dir)) throw new Error(`rule_files: a glob in a folder name is not supported: ${pattern}`);
  const source = name
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
    .replace(/\[!/g, '[^');
  const re = new RegExp(`^${source}$`);
  return readdirSync(dir)
    .filter((f) => re.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** A file recording the presence changes: the provisioned rendering of presenceRuleGroup(). */
function isPresenceRule(file: string): boolean {
  const rules = parse(readFileSync(file, 'utf8')) as RuleGroups | null;
  return (rules?.groups ?? []).some((g) => (g.rules ?? []).some((r) => r.record === PRESENCE_CHANGES));
}
