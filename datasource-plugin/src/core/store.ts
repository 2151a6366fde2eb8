// Which store the datasource talks to, and what follows from it: how its range selectors bound their window
// (common/src/lookback.ts), which `increase` matches Prometheus', and the limits a query plan must respect. Found
// from /api/v1/status/buildinfo (Prometheus 2.x or 3.x by its version); VictoriaMetrics answers it without a
// version (1.79) or with a Prometheus-like one, so an ambiguous answer is settled by a MetricsQL-only query. The
// datasource's `store` setting overrides the detection.
import type { RangeBounds } from '@timescope/common';
import type { PromClient } from './promClient';

export const STORE_KINDS = ['prometheus-2', 'prometheus-3', 'victoriametrics'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];
/** The datasource's `store` setting: `auto` detects it. */
export type StoreSetting = 'auto' | StoreKind;

/** Limits of the store a plan respects (queryPlan.ts's long-range planning); unknown ones are left out. */
export interface StoreLimits {
  /** samples held at once per request (`--query.max-samples`, `-search.maxSamplesPerQuery`) */
  maxSamples?: number;
  /** the store's query timeout (`--query.timeout`, `-search.maxQueryDuration`) */
  timeoutMs?: number;
  /** points per series of a range query (Prometheus: 11,000; `-search.maxPointsPerTimeseries`) */
  maxPointsPerSeries?: number;
}

export interface StoreCapabilities {
  kind: StoreKind;
  /** `closed` (Prometheus 2.x) or `left-open` (Prometheus 3, VictoriaMetrics) range selectors */
  bounds: RangeBounds;
  /** the function whose results match Prometheus' `increase()` (MetricsQL's own does not extrapolate) */
  increase: 'increase' | 'increase_prometheus';
  limits: StoreLimits;
  /** VictoriaMetrics' -search.latencyOffset (ms) when read: not 0 makes a live range contradict itself */
  latencyOffsetMs?: number;
  /** how the kind was found, for the health check's message */
  source: 'setting' | 'buildinfo' | 'probe' | 'default';
  version?: string;
}

const PROMETHEUS_MAX_POINTS = 11_000;

/** The capabilities of a kind of store, with its documented default limits. */
export function storeOf(kind: StoreKind, source: StoreCapabilities['source'] = 'setting'): StoreCapabilities {
  switch (kind) {
    case 'prometheus-2':
    case 'prometheus-3':
      return {
        kind,
        bounds: kind === 'prometheus-2' ? 'closed' : 'left-open',
        increase: 'increase',
        limits: { maxSamples: 50_000_000, timeoutMs: 120_000, maxPointsPerSeries: PROMETHEUS_MAX_POINTS },
        source,
      };
    case 'victoriametrics':
      return {
        kind,
        bounds: 'left-open',
        increase: 'increase_prometheus',
        limits: { maxSamples: 1_000_000_000, timeoutMs: 30_000, maxPointsPerSeries: 30_000 },
        source,
      };
  }
}

/** What every datasource instance assumed before detection (and what a stand-in without `status` gets). */
export const PROMETHEUS_2: StoreCapabilities = storeOf('prometheus-2', 'default');

/** The setting as stored in jsonData (anything unknown: detect). */
export function parseStoreSetting(v: unknown): StoreSetting {
  return typeof v === 'string' && (STORE_KINDS as readonly string[]).includes(v) ? (v as StoreKind) : 'auto';
}

/** The kind a buildinfo answer names; undefined when it does not tell (VictoriaMetrics, Thanos, a proxy). */
export function kindOfBuildInfo(body: unknown): { kind?: StoreKind; version?: string } {
  const data = (body as { data?: Record<string, unknown> } | undefined)?.data;
  const version = typeof data?.version === 'string' ? data.version : undefined;
  // Prometheus fills revision and goVersion too; VictoriaMetrics sends {} or a bare Prometheus-like version
  const prometheus = typeof data?.revision === 'string' && data.revision !== '' && typeof data.goVersion === 'string';
  if (!version || !prometheus) return { version };
  if (/^3\./.test(version)) return { kind: 'prometheus-3', version };
  if (/^2\./.test(version)) return { kind: 'prometheus-2', version };
  return { version };
}

/** MetricsQL only: Prometheus refuses it as a parse error. */
export const METRICSQL_PROBE = 'union(vector(1))';

/** Go durations as VictoriaMetrics and Prometheus print them (`30s`, `1m30s`, `2m0s`, `500ms`). */
export function goDurationMs(s: string): number | undefined {
  if (s === '0' || s === '0s') return 0;
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let ms = 0;
  let seen = '';
  for (const m of s.matchAll(re)) {
    ms += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
    seen += m[0];
  }
  return seen === s && seen !== '' ? ms : undefined;
}

/** VictoriaMetrics' /flags text (`-name="value"` per line: the flags set, defaults left out). */
export function parseVmFlags(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^-([\w.]+)="(.*)"$/gm)) out.set(m[1], m[2]);
  return out;
}

const VM_DEFAULT_LATENCY_OFFSET_MS = 30_000;

function vmFromFlags(base: StoreCapabilities, flags: Map<string, string>): StoreCapabilities {
  const num = (name: string): number | undefined => {
    const v = flags.get(name);
    return v !== undefined && Number.isFinite(Number(v)) ? Number(v) : undefined;
  };
  const dur = (name: string): number | undefined => {
    const v = flags.get(name);
    return v !== undefined ? goDurationMs(v) : undefined;
  };
  const limits: StoreLimits = {
    maxSamples: num('search.maxSamplesPerQuery') ?? base.limits.maxSamples,
    timeoutMs: dur('search.maxQueryDuration') ?? base.limits.timeoutMs,
    maxPointsPerSeries: num('search.maxPointsPerTimeseries') ?? base.limits.maxPointsPerSeries,
  };
  return { ...base, limits, latencyOffsetMs: dur('search.latencyOffset') ?? VM_DEFAULT_LATENCY_OFFSET_MS };
}

function prometheusFromFlags(base: StoreCapabilities, body: unknown): StoreCapabilities {
  const data = (body as { data?: Record<string, string> } | undefined)?.data ?? {};
  const maxSamples = Number(data['query.max-samples']);
  const timeoutMs = data['query.timeout'] !== undefined ? goDurationMs(data['query.timeout']) : undefined;
  return {
    ...base,
    limits: {
      ...base.limits,
      ...(Number.isFinite(maxSamples) && maxSamples > 0 ? { maxSamples } : {}),
      ...(timeoutMs ? { timeoutMs } : {}),
    },
  };
}

/** The flags of the store, where it says them (a refusal leaves the defaults). */
async function withLimits(client: PromClient, s: StoreCapabilities, signal?: AbortSignal): Promise<StoreCapabilities> {
  try {
    if (s.kind === 'victoriametrics')
      return vmFromFlags(s, parseVmFlags(String(await client.status?.('/flags', signal))));
    return prometheusFromFlags(s, await client.status?.('status/flags', signal));
  } catch {
    return s;
  }
}

/**
 * The store behind the client: the setting when it names one, else buildinfo, else the MetricsQL probe; Prometheus
 * 2.x when nothing tells (the most common store, and the one the shipped presence rule is rendered for).
 */
export async function detectStore(
  client: PromClient,
  setting: StoreSetting = 'auto',
  signal?: AbortSignal,
): Promise<StoreCapabilities> {
  if (setting !== 'auto') return withLimits(client, storeOf(setting, 'setting'), signal);
  if (!client.status) return PROMETHEUS_2;
  let info: { kind?: StoreKind; version?: string } = {};
  try {
    info = kindOfBuildInfo(await client.status('status/buildinfo', signal));
  } catch {
    // an older Prometheus or a proxy without the endpoint: the probe says more
  }
  if (info.kind) return withLimits(client, { ...storeOf(info.kind, 'buildinfo'), version: info.version }, signal);
  let metricsql = false;
  try {
    metricsql = (await client.instant(METRICSQL_PROBE, Date.now() / 1000, signal)).length > 0;
  } catch {
    metricsql = false;
  }
  const kind: StoreKind = metricsql ? 'victoriametrics' : 'prometheus-2';
  return withLimits(client, { ...storeOf(kind, metricsql ? 'probe' : 'default'), version: info.version }, signal);
}

/** A short name of the store for messages. */
export function storeName(s: StoreCapabilities): string {
  const name = { 'prometheus-2': 'Prometheus 2.x', 'prometheus-3': 'Prometheus 3', victoriametrics: 'VictoriaMetrics' }[
    s.kind
  ];
  return s.version ? `${name} (${s.version})` : name;
}
