// Runs a real vmalert (the Debian `vmalert` binary) for tests: it evaluates Prometheus rule files against a query
// API (`datasourceUrl`, VictoriaMetrics or Prometheus) and remote_writes what it records (and the ALERTS series) to
// `remoteWriteUrl`. The flags that make its results equal Prometheus' are in vmalertFlags (docs/scale-out.md).
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startDaemon, type Daemon } from './daemon';
import { freePort } from './ports';

const run = promisify(execFile);

export interface VmalertOptions {
  /** the query API the rules are evaluated against (VictoriaMetrics' or Prometheus' base URL) */
  datasourceUrl: string;
  /** where recorded series and ALERTS go (a base URL: vmalert appends /api/v1/write) */
  remoteWriteUrl?: string;
  /** where alert state is restored from at start (a base URL, usually the store's) */
  remoteReadUrl?: string;
  /** rule files (paths or globs), e.g. provisioning/prometheus/rules/*.yml */
  rules?: string[];
  /** rule files as YAML text, written into the temporary folder */
  ruleTexts?: string[];
  /**
   * -evaluationInterval, for groups without their own interval: the scrape interval, as Prometheus'
   * evaluation_interval in provisioning (default 1s, the tests' scrape interval)
   */
  evalInterval?: string;
  /** an Alertmanager URL; by default an in-process sink that keeps what it receives (see `alerts`) */
  notifierUrl?: string;
  /** extra command-line flags; they come last, so they override the defaults */
  flags?: string[];
}

export interface RunningVmalert {
  url: string;
  port: number;
  dir: string;
  flags: string[];
  /** alerts posted to the built-in notifier sink (empty with `notifierUrl`) */
  alerts(): ReceivedAlert[];
  /** GET /api/v1/<path> of vmalert's own API (rules, alerts) */
  api<T = unknown>(path: string): Promise<T>;
  log(): string;
  stop(): Promise<void>;
}

export interface ReceivedAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
}

/**
 * The flags Timescope's rules need besides the URLs: written-back samples flushed at once (chained rules read them),
 * the instant aligned to the group's interval (as Prometheus does within one group), the lookback window of bare
 * selectors Prometheus' 5 m, and no extra lookback (vmalert's `-datasource.lookback` shifts every instant).
 */
export function vmalertFlags(opts: Pick<VmalertOptions, 'evalInterval'> = {}): string[] {
  return [
    `-evaluationInterval=${opts.evalInterval ?? '1s'}`,
    '-datasource.queryStep=5m',
    '-datasource.queryTimeAlignment=true',
    '-datasource.lookback=0s',
    '-remoteWrite.flushInterval=100ms',
  ];
}

/** A tiny Alertmanager stand-in: accepts POST /api/v2/alerts (vmalert's notifier protocol) and keeps the alerts. */
export async function startAlertSink(): Promise<{ url: string; alerts: ReceivedAlert[]; close(): Promise<void> }> {
  const alerts: ReceivedAlert[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      try {
        const got = JSON.parse(body || '[]') as ReceivedAlert[];
        if (Array.isArray(got)) alerts.push(...got);
      } catch {
        // a malformed post is vmalert's bug, not the test's: answer, keep nothing
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    alerts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function ruleArgs(dir: string, opts: Pick<VmalertOptions, 'rules' | 'ruleTexts'>): string[] {
  const files = [...(opts.rules ?? [])];
  (opts.ruleTexts ?? []).forEach((text, i) => {
    const f = join(dir, `rules-${i}.yml`);
    writeFileSync(f, text);
    files.push(f);
  });
  if (files.length === 0) throw new Error('vmalert needs at least one rule file');
  return files.map((f) => `-rule=${f}`);
}

export async function startVmalert(opts: VmalertOptions): Promise<RunningVmalert> {
  const dir = mkdtempSync(join(tmpdir(), 'timescope-vmalert-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let sink: Awaited<ReturnType<typeof startAlertSink>> | undefined;
  let daemon: Daemon;
  const flags = [...vmalertFlags(opts), ...(opts.flags ?? [])];
  try {
    sink = opts.notifierUrl ? undefined : await startAlertSink();
    daemon = await startDaemon(
      'vmalert',
      'vmalert',
      [
        `-httpListenAddr=127.0.0.1:${port}`,
        `-datasource.url=${opts.datasourceUrl}`,
        ...(opts.remoteWriteUrl ? [`-remoteWrite.url=${opts.remoteWriteUrl}`] : []),
        ...(opts.remoteReadUrl ? [`-remoteRead.url=${opts.remoteReadUrl}`] : []),
        `-notifier.url=${opts.notifierUrl ?? sink?.url ?? ''}`,
        ...ruleArgs(dir, opts),
        ...flags,
      ],
      `${url}/health`,
    );
  } catch (e) {
    await sink?.close();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const api = async <T>(path: string): Promise<T> => {
    const r = await fetch(`${url}/api/v1/${path}`);
    const body = (await r.json()) as { status?: string; data: T; error?: string };
    if (body.status !== undefined && body.status !== 'success') throw new Error(`vmalert ${path}: ${body.error}`);
    return body.data;
  };
  return {
    url,
    port,
    dir,
    flags,
    alerts: () => [...(sink?.alerts ?? [])],
    api,
    log: daemon.log,
    stop: async () => {
      await daemon.kill();
      await sink?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface VmalertReplayOptions extends Omit<VmalertOptions, 'notifierUrl' | 'remoteReadUrl'> {
  remoteWriteUrl: string;
  /** first and last evaluation instant, seconds */
  fromSec: number;
  toSec: number;
  /**
   * -replay.rulesDelay: the pause between two rules of a group, so that a chained rule reads what the one before it
   * wrote (at least the store's time to make written samples searchable; VictoriaMetrics: about 1 s)
   */
  rulesDelay?: string;
}

/**
 * Evaluates the rules over a past range (`vmalert -replay.timeFrom/-replay.timeTo`, the counterpart of
 * `promtool tsdb create-blocks-from rules`) and resolves with its log when it is done. Replay evaluates one rule
 * over the whole range, then the next, so chained rules see their inputs only thanks to the delay.
 */
export async function replayVmalert(opts: VmalertReplayOptions): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'timescope-vmalert-replay-'));
  try {
    const iso = (s: number): string => new Date(s * 1000).toISOString();
    const { stdout, stderr } = await run(
      'vmalert',
      [
        `-datasource.url=${opts.datasourceUrl}`,
        `-remoteWrite.url=${opts.remoteWriteUrl}`,
        ...ruleArgs(dir, opts),
        `-replay.timeFrom=${iso(opts.fromSec)}`,
        `-replay.timeTo=${iso(opts.toSec)}`,
        `-replay.rulesDelay=${opts.rulesDelay ?? '2s'}`,
        '-replay.disableProgressBar',
        ...vmalertFlags(opts),
        ...(opts.flags ?? []),
      ],
      { maxBuffer: 64 << 20 },
    );
    return stdout + stderr;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
