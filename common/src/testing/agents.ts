// Scrapers that keep nothing themselves and remote_write everything to a store: Prometheus in agent mode
// (`--enable-feature=agent`) and vmagent. Several of one kind share the targets through `shard`, so that each target
// is scraped by exactly one of them: Prometheus agents by hashmod relabelling on the target address, vmagents by
// their own -promscrape.cluster.* flags. Do not mix the kinds in one shard set: vmagent's hashmod hashes differently
// from Prometheus' (a test here once lost a target that way).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon, type Daemon } from './daemon';
import { freePort } from './ports';

export interface Shard {
  /** this scraper's number, 0 ≤ index < count */
  index: number;
  count: number;
}

export interface AgentOptions {
  /** host:port targets scraped by one job named `timescope` (as startPrometheus does) */
  targets: string[];
  /** Prometheus remote_write URL (VictoriaMetrics: <url>/api/v1/write) */
  remoteWriteUrl: string;
  scrapeInterval?: string;
  /** keep only the targets whose address hashes to this shard */
  shard?: Shard;
  /** external labels added to every sample written (none by default: the series must equal a single Prometheus') */
  externalLabels?: Record<string, string>;
  /**
   * remote_write's batch_send_deadline (Prometheus' default 5s): how late a sample may reach the store. The presence
   * rule reads one scrape interval in the past, so this must be shorter than the scrape interval (docs/scale-out.md)
   */
  sendDeadline?: string;
  /** extra command-line flags */
  flags?: string[];
}

export interface RunningAgent {
  url: string;
  port: number;
  dir: string;
  /** the scrape configuration it was given */
  config: string;
  log(): string;
  stop(): Promise<void>;
}

/** The relabelling that keeps one shard's targets: hashmod of the address, the same rule Prometheus and vmagent run. */
export function shardRelabelling(shard: Shard, indent = '    '): string {
  return [
    `${indent}relabel_configs:`,
    `${indent}  - source_labels: [__address__]`,
    `${indent}    modulus: ${shard.count}`,
    `${indent}    target_label: __tmp_hash`,
    `${indent}    action: hashmod`,
    `${indent}  - source_labels: [__tmp_hash]`,
    `${indent}    regex: '${shard.index}'`,
    `${indent}    action: keep`,
  ].join('\n');
}

/** prometheus.yml for an agent (also vmagent's -promscrape.config, which reads the same format). */
export function agentConfig(opts: Omit<AgentOptions, 'flags'>, withRemoteWrite = true): string {
  const interval = opts.scrapeInterval ?? '1s';
  const ext = Object.entries(opts.externalLabels ?? {});
  const targets = opts.targets.map((t) => `'${t}'`).join(', ');
  return [
    'global:',
    `  scrape_interval: ${interval}`,
    ...(ext.length ? ['  external_labels:', ...ext.map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)] : []),
    'scrape_configs:',
    '  - job_name: timescope',
    `    static_configs: [{ targets: [${targets}] }]`,
    ...(opts.shard ? [shardRelabelling(opts.shard)] : []),
    ...(withRemoteWrite ? ['remote_write:', `  - url: ${JSON.stringify(opts.remoteWriteUrl)}`] : []),
    ...(withRemoteWrite && opts.sendDeadline
      ? [`    queue_config: { batch_send_deadline: ${opts.sendDeadline} }`]
      : []),
    '',
  ].join('\n');
}

async function runAgent(
  name: string,
  config: string,
  launch: (dir: string, configFile: string, port: number) => { command: string; args: string[]; ready: string },
): Promise<RunningAgent> {
  const dir = mkdtempSync(join(tmpdir(), `timescope-${name}-`));
  const port = await freePort();
  const configFile = join(dir, 'scrape.yml');
  writeFileSync(configFile, config);
  const { command, args, ready } = launch(dir, configFile, port);
  let daemon: Daemon;
  try {
    daemon = await startDaemon(name, command, args, ready);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dir,
    config,
    log: daemon.log,
    stop: async () => {
      await daemon.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Prometheus 2.x in agent mode: scrapes, keeps a write-ahead log only, remote_writes. */
export function startPrometheusAgent(opts: AgentOptions): Promise<RunningAgent> {
  return runAgent('prometheus-agent', agentConfig(opts), (dir, configFile, port) => ({
    command: 'prometheus',
    args: [
      '--enable-feature=agent',
      `--config.file=${configFile}`,
      `--storage.agent.path=${join(dir, 'wal')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      ...(opts.flags ?? []),
    ],
    ready: `http://127.0.0.1:${port}/-/ready`,
  }));
}

/**
 * vmagent: the same scrape configuration; remote_write given by flag (it ignores the file's remote_write), the shard
 * by -promscrape.cluster.membersCount/memberNum.
 */
export function startVmagent(opts: AgentOptions): Promise<RunningAgent> {
  const { shard, ...unsharded } = opts;
  const cluster = shard
    ? [`-promscrape.cluster.membersCount=${shard.count}`, `-promscrape.cluster.memberNum=${shard.index}`]
    : [];
  return runAgent('vmagent', agentConfig(unsharded, false), (dir, configFile, port) => ({
    command: 'vmagent',
    args: [
      `-promscrape.config=${configFile}`,
      `-remoteWrite.url=${opts.remoteWriteUrl}`,
      `-remoteWrite.tmpDataPath=${join(dir, 'queue')}`,
      `-httpListenAddr=127.0.0.1:${port}`,
      '-remoteWrite.flushInterval=100ms',
      ...cluster,
      ...(opts.flags ?? []),
    ],
    ready: `http://127.0.0.1:${port}/health`,
  }));
}
