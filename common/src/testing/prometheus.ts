// Runs a real Prometheus (the Debian `prometheus` binary) for tests, demos and benchmarks: on a free port, with a
// temporary config and data folder, optionally pre-filled from OpenMetrics with `promtool tsdb create-blocks-from`.
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startDaemon, type Daemon } from './daemon';
import { freePort } from './ports';

const run = promisify(execFile);

export interface PrometheusOptions {
  /** host:port targets scraped by one job named `timescope` */
  targets?: string[];
  scrapeInterval?: string;
  /** extra text appended to prometheus.yml (rule_files, more scrape_configs...) */
  extraConfig?: string;
  /** OpenMetrics text (ending in `# EOF`) backfilled into the data folder before start */
  openMetrics?: string;
  /** an OpenMetrics file backfilled the same way (for histories too big for one string) */
  openMetricsFile?: string;
  /**
   * several OpenMetrics files (`backfillConcurrency` at a time): promtool re-reads its whole input for every 2-hour
   * block, so a long history loads much faster as one file per 2-hour window
   */
  openMetricsFiles?: string[];
  /** how many of `openMetricsFiles` promtool backfills at a time (default 1; each run writes its own blocks) */
  backfillConcurrency?: number;
  /** extra command-line flags */
  flags?: string[];
  /**
   * recording rules evaluated over the backfilled history (`promtool tsdb create-blocks-from rules`); several are
   * evaluated one after the other, each after the blocks of the one before are loaded (chained rules: promtool
   * evaluates a rule through the API, so it sees the records of earlier stages only)
   */
  recordingRules?: RuleBackfill | RuleBackfill[];
  /** keep the data folder after stop (default false) */
  keepData?: boolean;
}

export interface RunningPrometheus {
  url: string;
  port: number;
  dir: string;
  process: ChildProcess;
  /** GET /api/v1/<path> with the given parameters; throws unless status is success */
  api<T = unknown>(path: string, params?: Record<string, string | number>): Promise<T>;
  stop(): Promise<void>;
}

export async function backfillOpenMetrics(openMetrics: string, dataDir: string): Promise<void> {
  const file = join(dataDir, '..', `backfill-${process.pid}-${Date.now()}.om`);
  writeFileSync(file, openMetrics);
  try {
    await backfillOpenMetricsFile(file, dataDir);
  } finally {
    rmSync(file, { force: true });
  }
}

export interface RuleBackfill {
  /** the rule group YAML */
  rules: string;
  startSec: number;
  endSec: number;
  /** for groups without an interval (promtool's default: 60s) */
  evalInterval?: string;
}

/**
 * Evaluates recording rules over a running Prometheus' history into blocks under `workDir`; returns a function that
 * moves them into `dataDir` (call it once that Prometheus has stopped: a running one may pick up and compact blocks
 * that appear in its folder, and stopping it then, at worst with SIGKILL, races that compaction).
 */
/**
 * Passed to promtool relative to its working folder: a group's evaluation offset is a hash of its name and of the file
 * path as given, so a fixed path gives each group the same evaluation instants in every run. promtool's backfill
 * drops an evaluation that falls in the last second before a 2-hour block boundary (each block's range query ends
 * at the whole second before the boundary, the next starts after it); with a random temporary path that hit one run
 * in 15 whose range crossed a boundary. prometheus.test.ts checks that our groups' offsets stay clear of it.
 */
const RULES_FILE = 'rules.yml';

export async function backfillRecordingRules(
  url: string,
  r: RuleBackfill,
  dataDir: string,
  workDir: string,
): Promise<() => void> {
  mkdirSync(workDir, { recursive: true });
  writeFileSync(join(workDir, RULES_FILE), r.rules);
  const out = join(workDir, 'blocks');
  await run(
    'promtool',
    [
      'tsdb',
      'create-blocks-from',
      'rules',
      `--url=${url}`,
      `--start=${r.startSec}`,
      `--end=${r.endSec}`,
      `--output-dir=${out}`,
      ...(r.evalInterval ? [`--eval-interval=${r.evalInterval}`] : []),
      RULES_FILE,
    ],
    { maxBuffer: 64 << 20, cwd: workDir },
  );
  return () => {
    for (const block of readdirSync(out)) renameSync(join(out, block), join(dataDir, block));
    rmSync(workDir, { recursive: true, force: true });
  };
}

export async function backfillOpenMetricsFile(file: string, dataDir: string): Promise<void> {
  await run('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', file, dataDir], { maxBuffer: 64 << 20 });
}

/** Whether the Prometheus answering at `url` is the one started on `dataDir` (its flags say where its data is). */
async function servesDataDir(url: string, dataDir: string): Promise<boolean> {
  try {
    const r = await fetch(`${url}/api/v1/status/flags`);
    const body = (await r.json()) as { data?: Record<string, string> };
    return body.data?.['storage.tsdb.path'] === dataDir;
  } catch {
    return false;
  }
}

export async function startPrometheus(opts: PrometheusOptions = {}): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'timescope-prom-'));
  const dataDir = join(dir, 'data');
  const interval = opts.scrapeInterval ?? '1s';
  const targets = (opts.targets ?? []).map((t) => `'${t}'`).join(', ');
  const config = [
    'global:',
    `  scrape_interval: ${interval}`,
    `  evaluation_interval: ${interval}`,
    'scrape_configs:',
    '  - job_name: timescope',
    `    static_configs: [{ targets: [${targets}] }]`,
    opts.extraConfig ?? '',
  ].join('\n');
  writeFileSync(join(dir, 'prometheus.yml'), config);
  if (opts.openMetrics) await backfillOpenMetrics(opts.openMetrics, dataDir);
  if (opts.openMetricsFile) await backfillOpenMetricsFile(opts.openMetricsFile, dataDir);
  const queue = [...(opts.openMetricsFiles ?? [])];
  const backfillNext = async (): Promise<void> => {
    for (let f = queue.shift(); f !== undefined; f = queue.shift()) await backfillOpenMetricsFile(f, dataDir);
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.backfillConcurrency ?? 1) }, backfillNext));

  // A port is free only when it is asked for: each start takes a new one, just before it. A restart on the port of
  // the run before would leave it free meanwhile, for another test's daemon to take; this one's readiness check would
  // then pass on that daemon, and the test read that daemon's data (a flake seen in CI runs of every test at once).
  let port = 0;
  let url = '';
  const launchOnce = async (): Promise<Daemon> => {
    port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const daemon = await startDaemon(
      'prometheus',
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${dataDir}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--storage.tsdb.retention.time=10y',
        '--web.enable-lifecycle',
        ...(opts.flags ?? []),
      ],
      `${url}/-/ready`,
    );
    if (await servesDataDir(url, dataDir)) return daemon;
    await daemon.kill();
    throw new Error(`another Prometheus answered on port ${port}`);
  };
  // the port may still be taken between freePort() and the bind: then a new one
  const launch = async (): Promise<Daemon> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await launchOnce();
      } catch (e) {
        const taken = /another Prometheus answered|address already in use/.test(String(e));
        if (!taken || attempt >= 3) throw e;
      }
    }
  };
  const removeDir = (): void => {
    if (!opts.keepData) rmSync(dir, { recursive: true, force: true });
  };

  let running: Daemon;
  try {
    running = await launch();
    const stages = opts.recordingRules === undefined ? [] : [opts.recordingRules].flat();
    for (const stage of stages) {
      // promtool evaluates the rules through this Prometheus' API; the blocks it writes load at the next start
      const install = await backfillRecordingRules(url, stage, dataDir, join(dir, 'rule-blocks'));
      await running.kill();
      install();
      running = await launch();
    }
  } catch (e) {
    removeDir();
    throw e;
  }
  const stop = async (): Promise<void> => {
    await running.kill();
    removeDir();
  };

  const api = async <T>(path: string, params: Record<string, string | number> = {}): Promise<T> => {
    const qs = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]));
    const r = await fetch(`${url}/api/v1/${path}?${qs}`);
    const body = (await r.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`prometheus ${path}: ${body.error ?? r.status}`);
    return body.data;
  };

  return { url, port, dir, process: running.process, api, stop };
}

export interface InstantSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** Instant query at `time` (seconds); returns the vector. */
export function queryInstant(prom: RunningPrometheus, query: string, time?: number): Promise<InstantSample[]> {
  const params: Record<string, string | number> = { query };
  if (time !== undefined) params.time = time;
  return prom.api<{ resultType: string; result: InstantSample[] }>('query', params).then((d) => d.result);
}
