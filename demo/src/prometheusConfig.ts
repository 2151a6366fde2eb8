// Turns the provisioned Prometheus config (provisioning/prometheus/prometheus.yml, written for Docker Compose) into
// the demo's: the exporter's address on loopback, the demo's scrape interval and absolute rule file paths.
import { dirname, isAbsolute, join } from 'node:path';
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

export const TIMESCOPE_JOB = 'timescope';

export function demoPrometheusConfig(
  provisioned: string,
  provisionedPath: string,
  exporter: string,
  scrapeSeconds: number,
): string {
  const cfg = parse(provisioned) as PromConfig;
  cfg.global = { ...cfg.global, scrape_interval: `${scrapeSeconds}s`, evaluation_interval: `${scrapeSeconds}s` };
  const base = dirname(provisionedPath);
  cfg.rule_files = (cfg.rule_files ?? []).map((f) => (isAbsolute(f) ? f : join(base, f)));
  const job = cfg.scrape_configs?.find((s) => s.job_name === TIMESCOPE_JOB);
  if (!job) throw new Error(`${provisionedPath}: no scrape job "${TIMESCOPE_JOB}"`);
  job.static_configs = [{ targets: [exporter] }];
  return stringify(cfg);
}
