// The Grafana datasource: interpolates template variables, picks the step, and hands the work to the core with a
// PromClient over getBackendSrv().fetch (Grafana's data proxy). Cancelling the returned Observable (Grafana does
// when the range changes or the panel re-runs) aborts every in-flight request of that query.
import {
  DataSourceApi,
  dateMath,
  LoadingState,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type MetricFindValue,
  type ScopedVars,
  type TestDataSourceResponse,
  type LegacyMetricFindQueryOptions,
} from '@grafana/data';
import { getBackendSrv, getTemplateSrv } from '@grafana/runtime';
import type { Observable } from 'rxjs';
import { backendSrvPromClient } from './backendSrvClient';
import { abortable } from './core/abortable';
import { checkHealth } from './core/health';
import type { PromClient } from './core/promClient';
import {
  DEFAULT_QUERY,
  DEFAULT_SCRAPE_INTERVAL_MS,
  parseScrapeIntervalMs,
  parseView,
  type Filters,
} from './core/query';
import { runDeploys, runTopology, type TargetResult } from './core/run';
import { chooseStep } from './core/step';
import { detectStore, parseStoreSetting, type StoreCapabilities, type StoreSetting } from './core/store';
import type { TopologyRequest } from './core/topology';
import { findValues } from './core/variables';
import type { TopologyOptions, TopologyQuery } from './types';

/** Multi-value variables become `a|b` in exact-value filters (names never hold `|`). */
const joinValues = (v: string | string[]): string => (Array.isArray(v) ? v.join('|') : v);

/** An exact-value filter with its variables interpolated (undefined when the filter is empty). */
const exactFilter =
  (vars: ScopedVars) =>
  (v?: string): string | undefined =>
    v ? getTemplateSrv().replace(v, vars, joinValues) : undefined;

export class TopologyDataSource extends DataSourceApi<TopologyQuery, TopologyOptions> {
  readonly url: string;
  readonly scrapeIntervalMs: number;
  readonly storeSetting: StoreSetting;
  /** the store, found once per instance (a failed detection is retried by the next query) */
  private store?: Promise<StoreCapabilities>;

  constructor(settings: DataSourceInstanceSettings<TopologyOptions>) {
    super(settings);
    this.url = settings.url ?? '';
    this.storeSetting = parseStoreSetting(settings.jsonData?.store);
    this.scrapeIntervalMs = parseScrapeIntervalMs(settings.jsonData?.scrapeInterval) ?? DEFAULT_SCRAPE_INTERVAL_MS;
    // deploy events as annotations: the annotation's query runs through query() as a `deploys` query
    this.annotations = {
      prepareQuery: (anno) =>
        ({
          ...DEFAULT_QUERY,
          ...(anno.target ?? {}),
          refId: anno.target?.refId ?? 'Anno',
          queryType: 'deploys',
        }) as TopologyQuery,
    };
  }

  override getDefaultQuery(): Partial<TopologyQuery> {
    // new queries hide the idle processes; a stored query without the option keeps showing them all
    return { ...DEFAULT_QUERY, idleProcesses: 'hide' };
  }

  /** A client for one query; `warnings` collects Prometheus' warnings (partial data). */
  protected client(warnings?: string[], requestId?: string): PromClient {
    return backendSrvPromClient({
      fetch: (o) => getBackendSrv().fetch<unknown>(o),
      url: this.url,
      requestId,
      onWarnings: (w) => warnings?.push(...w),
    });
  }

  /** The store behind the URL (store.ts), detected at the first query unless the settings name it. */
  protected storeOf(): Promise<StoreCapabilities> {
    if (!this.store) {
      // not cancelled with the query that asked first: the answer serves the later ones
      this.store = detectStore(this.client(), this.storeSetting);
      this.store.catch(() => (this.store = undefined));
    }
    return this.store;
  }

  private filters(q: TopologyQuery, vars: ScopedVars): Filters {
    const exact = exactFilter(vars);
    return {
      namespace: exact(q.namespace),
      host: exact(q.host),
      kind: exact(q.kind),
      name: q.name ? getTemplateSrv().replace(q.name, vars, 'regex') : undefined,
    };
  }

  query(request: DataQueryRequest<TopologyQuery>): Observable<DataQueryResponse> {
    return abortable((signal) => this.run(request, signal));
  }

  private async run(request: DataQueryRequest<TopologyQuery>, signal: AbortSignal): Promise<DataQueryResponse> {
    const targets = request.targets.filter((t) => !t.hide);
    const results = await Promise.all(targets.map((t) => this.runTarget(request, t, signal)));
    const data = results.flatMap((r) => r.frames);
    const errors = results.flatMap((r) => (r.error ? [r.error] : []));
    return { data, errors, state: errors.length > 0 ? LoadingState.Error : LoadingState.Done, key: request.requestId };
  }

  private async runTarget(
    request: DataQueryRequest<TopologyQuery>,
    q: TopologyQuery,
    signal: AbortSignal,
  ): Promise<TargetResult> {
    const warnings: string[] = [];
    const client = this.client(warnings, `${request.requestId}-${q.refId}`);
    const fromMs = request.range.from.valueOf();
    const toMs = request.range.to.valueOf();
    const vars = request.scopedVars;
    if (q.queryType === 'deploys') {
      const exact = exactFilter(vars);
      const filters = { namespace: exact(q.namespace), workload: exact(q.workload), kind: exact(q.kind) };
      const range = { fromMs, toMs, scrapeIntervalMs: this.scrapeIntervalMs };
      return runDeploys(client, range, filters, q.refId, warnings, signal);
    }
    const view = parseView(q.view ? getTemplateSrv().replace(q.view, vars) : undefined);
    if (typeof view === 'object')
      return Promise.resolve({ frames: [], error: { refId: q.refId, message: view.error } });
    const req: TopologyRequest = {
      view,
      mode: q.mode ?? DEFAULT_QUERY.mode,
      filters: this.filters(q, vars),
      groupBy: q.groupBy ?? DEFAULT_QUERY.groupBy,
      edgeSource: q.edgeSource ?? DEFAULT_QUERY.edgeSource,
      edgeMetric: q.edgeMetric ? getTemplateSrv().replace(q.edgeMetric, vars) : undefined,
      ...(q.edgeSources && q.edgeSources.length > 0 ? { edgeSources: q.edgeSources } : {}),
      ...(q.edgeMetrics ? { edgeMetrics: replaceEach(q.edgeMetrics, (m) => getTemplateSrv().replace(m, vars)) } : {}),
      idleProcesses: q.idleProcesses === 'hide' ? 'hide' : 'show',
      fromMs,
      toMs,
      instantMs: this.instant(q, vars, fromMs, toMs),
      stepMs: chooseStep({
        fromMs,
        toMs,
        scrapeIntervalMs: this.scrapeIntervalMs,
        intervalMs: request.intervalMs,
        maxDataPoints: request.maxDataPoints,
      }),
      scrapeIntervalMs: this.scrapeIntervalMs,
      nodePositions: q.nodePositions && q.nodePositions !== 'off' ? q.nodePositions : undefined,
    };
    return runTopology(client, req, q.refId, warnings, signal, await this.storeOf());
  }

  /** Instant mode's instant: the query's `time` (ms or a Grafana time such as now-1h) clamped to the range. */
  private instant(q: TopologyQuery, vars: ScopedVars, fromMs: number, toMs: number): number | undefined {
    if (!q.time) return undefined;
    const raw = getTemplateSrv().replace(q.time, vars);
    const ms = /^\d+$/.test(raw) ? Number(raw) : dateMath.parse(raw)?.valueOf();
    if (ms === undefined || !Number.isFinite(ms)) return undefined;
    return Math.min(toMs, Math.max(fromMs, ms));
  }

  override async metricFindQuery(query: string, options?: LegacyMetricFindQueryOptions): Promise<MetricFindValue[]> {
    const range = options?.range;
    const toMs = range ? range.to.valueOf() : Date.now();
    const fromMs = range ? range.from.valueOf() : toMs - 3_600_000;
    const interpolated = getTemplateSrv().replace(query, options?.scopedVars, joinValues);
    const values = await findValues(this.client(), interpolated, { fromMs, toMs });
    return values.map((text) => ({ text, value: text }));
  }

  async testDatasource(): Promise<TestDataSourceResponse> {
    this.store = undefined; // the settings or the store may have changed
    return checkHealth(this.client(), this.url, Date.now(), this.storeSetting);
  }
}

/** Each metric name of a per-source map, interpolated. */
function replaceEach<K extends string>(
  m: Partial<Record<K, string>>,
  f: (v: string) => string,
): Partial<Record<K, string>> {
  return Object.fromEntries(Object.entries<string | undefined>(m).map(([k, v]) => [k, v ? f(v) : v])) as Partial<
    Record<K, string>
  >;
}
