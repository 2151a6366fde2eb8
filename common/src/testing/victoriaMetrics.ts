// Runs a real single-node VictoriaMetrics (the Debian `victoria-metrics` binary) for tests, demos and benchmarks: on a
// free port with a temporary data folder, configured the way Timescope needs it (docs/scale-out.md): a live range
// must not contradict itself, so `-search.latencyOffset=0s` (its 30 s default hides the newest samples from range
// queries but not from instant ones).
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startDaemon, type Daemon } from './daemon';
import { freePort } from './ports';
import type { RunningPrometheus } from './prometheus';

export interface VictoriaMetricsOptions {
  /** -retentionPeriod (default 100y: backfilled histories lie in the past, and older samples are dropped) */
  retention?: string;
  /** -dedup.minScrapeInterval: keep one sample per interval and series (two agents scraping the same target) */
  dedupInterval?: string;
  /** OpenMetrics text (timestamps in seconds, as for Prometheus' backfill) imported before the start resolves */
  openMetrics?: string;
  /** extra command-line flags; they come last, so they override the defaults above */
  flags?: string[];
  /** keep the data folder after stop (default false) */
  keepData?: boolean;
}

/** The query API of Prometheus (so queryInstant and the datasource's tests take it), plus VictoriaMetrics' own. */
export interface RunningVictoriaMetrics extends RunningPrometheus {
  /** Prometheus remote_write endpoint */
  remoteWriteUrl: string;
  /** the flags it was started with */
  flags: string[];
  /** imports OpenMetrics text (timestamps in seconds) and makes it searchable */
  importOpenMetrics(text: string): Promise<void>;
  /** the same from a file, streamed in pieces */
  importOpenMetricsFile(path: string): Promise<void>;
  /** makes samples written so far searchable and drops cached rollups (call after writing into the past) */
  flush(): Promise<void>;
  /** the tail of its log */
  log(): string;
}

/** Default flags: the ones Timescope's results depend on (docs/scale-out.md explains each). */
export function victoriaMetricsFlags(opts: Pick<VictoriaMetricsOptions, 'retention' | 'dedupInterval'> = {}): string[] {
  return [
    `-retentionPeriod=${opts.retention ?? '100y'}`,
    '-search.latencyOffset=0s',
    ...(opts.dedupInterval ? [`-dedup.minScrapeInterval=${opts.dedupInterval}`] : []),
  ];
}

/**
 * One OpenMetrics sample line as Prometheus text-format line with a millisecond timestamp (what
 * /api/v1/import/prometheus reads); comments and blank lines give undefined.
 */
export function openMetricsLineToPrometheus(line: string): string | undefined {
  if (line === '' || line.startsWith('#')) return undefined;
  const cut = line.lastIndexOf(' ');
  const head = line.slice(0, cut);
  const ts = Number(line.slice(cut + 1));
  // a sample without a timestamp has only "name{...} value": the value's space is not followed by a time
  if (cut < 0 || !head.includes(' ') || !Number.isFinite(ts)) return line;
  return `${head} ${Math.round(ts * 1000)}`;
}

export async function startVictoriaMetrics(opts: VictoriaMetricsOptions = {}): Promise<RunningVictoriaMetrics> {
  const dir = mkdtempSync(join(tmpdir(), 'timescope-vm-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const flags = [...victoriaMetricsFlags(opts), ...(opts.flags ?? [])];
  let daemon: Daemon;
  try {
    daemon = await startDaemon(
      'victoria-metrics',
      'victoria-metrics',
      [`-storageDataPath=${join(dir, 'data')}`, `-httpListenAddr=127.0.0.1:${port}`, ...flags],
      `${url}/health`,
    );
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }

  const api = async <T>(path: string, params: Record<string, string | number> = {}): Promise<T> => {
    const qs = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]));
    const r = await fetch(`${url}/api/v1/${path}?${qs}`);
    const text = await r.text();
    let body: { status?: string; data?: T; error?: string };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new Error(`victoria-metrics ${path}: ${r.status} ${text.slice(0, 500)}`);
    }
    if (body.status !== 'success') throw new Error(`victoria-metrics ${path}: ${body.error ?? r.status}`);
    return body.data as T;
  };

  const post = async (path: string, body: string): Promise<void> => {
    const r = await fetch(`${url}${path}`, { method: 'POST', body });
    if (!r.ok) throw new Error(`victoria-metrics ${path}: ${r.status} ${await r.text()}`);
  };
  const flush = async (): Promise<void> => {
    await fetch(`${url}/internal/force_flush`);
    await fetch(`${url}/internal/resetRollupResultCache`);
  };
  const importLines = async (lines: AsyncIterable<string> | Iterable<string>): Promise<void> => {
    let buf: string[] = [];
    let size = 0;
    for await (const line of lines) {
      const out = openMetricsLineToPrometheus(line);
      if (out === undefined) continue;
      buf.push(out);
      size += out.length + 1;
      if (size > 1 << 20) {
        await post('/api/v1/import/prometheus', buf.join('\n') + '\n');
        buf = [];
        size = 0;
      }
    }
    if (buf.length) await post('/api/v1/import/prometheus', buf.join('\n') + '\n');
    await flush();
  };
  const importOpenMetrics = (text: string): Promise<void> => importLines(text.split('\n'));
  const importOpenMetricsFile = (path: string): Promise<void> =>
    importLines(createInterface({ input: createReadStream(path), crlfDelay: Infinity }));

  const stop = async (): Promise<void> => {
    await daemon.kill();
    if (!opts.keepData) rmSync(dir, { recursive: true, force: true });
  };
  const vm: RunningVictoriaMetrics = {
    url,
    port,
    dir,
    process: daemon.process,
    api,
    stop,
    remoteWriteUrl: `${url}/api/v1/write`,
    flags,
    importOpenMetrics,
    importOpenMetricsFile,
    flush,
    log: daemon.log,
  };
  if (opts.openMetrics) {
    try {
      await importOpenMetrics(opts.openMetrics);
    } catch (e) {
      await stop();
      throw e;
    }
  }
  return vm;
}
