// The only way the core talks to Prometheus: one client front (`promClient`) over an injectable transport. The
// plugin passes one built on Grafana's getBackendSrv().fetch (through the data proxy, backendSrvClient.ts); tests
// and benchmarks pass `fetchPromClient` against a real Prometheus. Errors are classified so the user reads what is
// wrong, not "undefined".
import { childController } from './abortable';

export interface PromVectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface PromMatrixSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

export interface PromClient {
  /** GET /api/v1/query; `timeSec` in seconds */
  instant(query: string, timeSec: number, signal?: AbortSignal): Promise<PromVectorSample[]>;
  /** GET /api/v1/query of a range selector (`x[1h]`): the raw samples of each series */
  samples(query: string, timeSec: number, signal?: AbortSignal): Promise<PromMatrixSeries[]>;
  /** GET /api/v1/query_range */
  range(
    query: string,
    startSec: number,
    endSec: number,
    stepSec: number,
    signal?: AbortSignal,
  ): Promise<PromMatrixSeries[]>;
  /**
   * GET of a status endpoint (`status/buildinfo`, `status/flags`, VictoriaMetrics' `/flags` at the root): the parsed
   * body (or its text), which need not hold a query result. Optional: stand-ins may leave it out (store.ts then
   * assumes Prometheus 2.x).
   */
  status?(path: StatusPath, signal?: AbortSignal): Promise<unknown>;
  /** bytes of response bodies received so far (for benchmarks; optional) */
  readonly bytesReceived?: number;
  readonly requests?: number;
}

export type PromErrorKind = 'unreachable' | 'auth' | 'client' | 'server' | 'timeout' | 'bad-response' | 'cancelled';

export class PrometheusError extends Error {
  constructor(
    readonly kind: PromErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'PrometheusError';
  }
}

interface PromBody {
  status?: string;
  data?: { resultType?: string; result?: unknown };
  error?: string;
  errorType?: string;
  /** Grafana's data proxy explains its own failures (502, ...) in `message` */
  message?: string;
  warnings?: string[];
}

/** The whole body Grafana's data proxy sends instead of an upstream 401. */
export const PROXY_AUTH_FAILED = 'Authentication to data source failed';

function isProxyAuthFailure(body: unknown): boolean {
  const text = typeof body === 'string' ? body : (body as PromBody | null)?.message;
  return typeof text === 'string' && text.trim() === PROXY_AUTH_FAILED;
}

/** Turns an HTTP status and body into a PrometheusError (or undefined when the answer is usable). */
export function classifyResponse(
  status: number,
  body: unknown,
  what: string,
  needsResult = true,
): PrometheusError | undefined {
  const b = (typeof body === 'object' && body !== null ? body : {}) as PromBody;
  const text = b.error ?? b.message;
  const detail = text ? `: ${text}` : typeof body === 'string' && body.trim() ? `: ${body.trim().slice(0, 200)}` : '';
  if (status === 401 || status === 403) {
    return new PrometheusError('auth', `Prometheus refused the credentials (HTTP ${status})${detail}`, status);
  }
  if (status === 400 && isProxyAuthFailure(body)) {
    // Grafana's data proxy answers an upstream 401 with this 400 (pkg/api/pluginproxy/ds_proxy.go)
    return new PrometheusError(
      'auth',
      `Prometheus refused the credentials (HTTP 401): Grafana's data proxy answered 400 "${PROXY_AUTH_FAILED}"`,
      status,
    );
  }
  if (b.errorType === 'timeout') {
    return new PrometheusError('timeout', `Prometheus gave up on the ${what} (query timeout)${detail}`, status);
  }
  if (status === 502 || status === 503 || status === 504 || status === 0) {
    // Grafana's data proxy answers 502 when it cannot reach the upstream
    return new PrometheusError('unreachable', `Prometheus is unreachable (HTTP ${status})${detail}`, status);
  }
  if (status === 422 || (status >= 400 && status < 500)) {
    return new PrometheusError('client', `Prometheus rejected the ${what} (HTTP ${status})${detail}`, status);
  }
  if (status >= 500) return new PrometheusError('server', `Prometheus failed (HTTP ${status})${detail}`, status);
  if (!needsResult) return undefined;
  if (b.status !== 'success' || !b.data || !Array.isArray(b.data.result)) {
    return new PrometheusError('bad-response', `Prometheus answered the ${what} with something unexpected${detail}`);
  }
  return undefined;
}

/** The result array of a successful answer (after `classifyResponse`). */
export function resultOf<T>(body: unknown): T[] {
  return ((body as PromBody).data?.result ?? []) as T[];
}

/** Prometheus' own warnings on a successful answer (partial data, ...). */
export function warningsOf(body: unknown): string[] {
  const w = (body as PromBody | undefined)?.warnings;
  return Array.isArray(w) ? w.map(String) : [];
}

function statsOf(body: unknown): PromQueryStats {
  const st = (body as { data?: { stats?: Record<string, Record<string, number>> } }).data?.stats;
  return {
    peakSamples: st?.samples?.peakSamples,
    totalQueryableSamples: st?.samples?.totalQueryableSamples,
    evalTotalTime: st?.timings?.evalTotalTime,
  };
}

export interface FetchClientOptions {
  /** base URL of Prometheus (no trailing /api/v1) */
  url: string;
  /** called with Prometheus' warnings (e.g. partial data) */
  onWarnings?: (warnings: string[]) => void;
  headers?: Record<string, string>;
  /** per-request timeout (default 60 s) */
  timeoutMs?: number;
  /** asks Prometheus for its query statistics (`stats=all`) and hands them here (benchmarks) */
  onStats?: (stats: PromQueryStats) => void;
}

export interface PromQueryStats {
  /** samples held in memory at once: the figure `--query.max-samples` (default 50M) limits */
  peakSamples?: number;
  totalQueryableSamples?: number;
  evalTotalTime?: number;
}

/** The status endpoints store.ts and the health check read (a leading `/`: at the server's root, not /api/v1). */
export type StatusPath = 'status/buildinfo' | 'status/flags' | '/flags';

/** A path of the API under /api/v1 (or at the root when it starts with `/`). */
export type ApiPath = 'query' | 'query_range' | StatusPath;

/** The URL of an API path under a base URL. */
export function apiUrl(base: string, path: ApiPath): string {
  const b = base.replace(/\/+$/, '');
  return path.startsWith('/') ? `${b}${path}` : `${b}/api/v1/${path}`;
}

/** A status endpoint's answer need not hold a query result. */
export const isStatusPath = (path: ApiPath): boolean => path !== 'query' && path !== 'query_range';

/**
 * One HTTP GET of the Prometheus API, as a transport does it: the parsed body (the text when it is not JSON), or a
 * PrometheusError.
 */
export type PromTransport = (
  path: ApiPath,
  params: Record<string, string>,
  what: string,
  signal?: AbortSignal,
) => Promise<unknown>;

/** One request of a query plan (queryPlan.ts), as data: a test prints it, `send` asks it. */
export type PromRequest =
  | { kind: 'instant'; query: string; timeSec: number }
  | { kind: 'samples'; query: string; timeSec: number }
  | { kind: 'range'; query: string; startSec: number; endSec: number; stepSec: number };

/**
 * The one front over the transports (the global fetch, Grafana's backendSrv): the API's three uses, and the
 * counts benchmarks read.
 */
export function promClient(transport: PromTransport): PromClient & { requests: number } {
  const state = { requests: 0 };
  const get = (path: ApiPath, params: Record<string, string>, what: string, signal?: AbortSignal) => {
    state.requests++;
    return transport(path, params, what, signal);
  };
  return {
    get requests() {
      return state.requests;
    },
    async instant(query, timeSec, signal) {
      return resultOf<PromVectorSample>(await get('query', { query, time: String(timeSec) }, 'query', signal));
    },
    async samples(query, timeSec, signal) {
      return resultOf<PromMatrixSeries>(await get('query', { query, time: String(timeSec) }, 'query', signal));
    },
    async range(query, startSec, endSec, stepSec, signal) {
      const params = { query, start: String(startSec), end: String(endSec), step: String(stepSec) };
      return resultOf<PromMatrixSeries>(await get('query_range', params, 'range query', signal));
    },
    status(path, signal) {
      return get(path, {}, path, signal);
    },
  };
}

/** The transport over the global fetch (Node 20 and browsers), used by tests and benchmarks. */
function fetchTransport(opts: FetchClientOptions, counted: { bytesReceived: number }): PromTransport {
  const base = opts.url.replace(/\/+$/, '');
  return async (path, params, what, signal) => {
    const status = isStatusPath(path);
    const timeout = AbortSignal.timeout(opts.timeoutMs ?? 60_000);
    const linked = signal ? childController(signal, timeout) : undefined;
    const fail = (e: unknown, doing: string): PrometheusError => {
      if (signal?.aborted) return new PrometheusError('cancelled', 'the query was cancelled');
      if (timeout.aborted) return new PrometheusError('timeout', `Prometheus did not answer the ${what} in time`);
      return new PrometheusError('unreachable', `${doing}: ${(e as Error).message}`);
    };
    let r: Response;
    let text: string;
    try {
      const init = { headers: opts.headers, signal: linked?.signal ?? timeout };
      try {
        r = status
          ? await fetch(apiUrl(base, path), init)
          : await fetch(apiUrl(base, path), {
              ...init,
              method: 'POST',
              headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...opts.headers },
              body: new URLSearchParams(opts.onStats ? { ...params, stats: 'all' } : params).toString(),
            });
      } catch (e) {
        throw fail(e, `Prometheus is unreachable at ${base}`);
      }
      try {
        text = await r.text();
      } catch (e) {
        throw fail(e, `Prometheus broke off its answer to the ${what}`);
      }
    } finally {
      // the query's signal is shared by all its requests: unlink this one from it
      linked?.release();
    }
    counted.bytesReceived += text.length;
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text for the message
    }
    const err = classifyResponse(r.status, body, what, !status);
    if (err) throw err;
    if (status) return body;
    const warnings = warningsOf(body);
    if (warnings.length > 0) opts.onWarnings?.(warnings);
    if (opts.onStats) opts.onStats(statsOf(body));
    return body;
  };
}

/** A PromClient over the global fetch (Node 20 and browsers), used by tests and benchmarks. */
export function fetchPromClient(opts: FetchClientOptions): PromClient & { bytesReceived: number; requests: number } {
  const counted = { bytesReceived: 0 };
  const client = promClient(fetchTransport(opts, counted));
  return {
    instant: client.instant,
    samples: client.samples,
    range: client.range,
    status: client.status,
    get requests() {
      return client.requests;
    },
    get bytesReceived() {
      return counted.bytesReceived;
    },
  };
}
