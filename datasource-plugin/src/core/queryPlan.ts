// The first step of a topology query: which requests to send, decided from the request and what the store can
// do, before any is sent. The plan is a value (tests print it: docs/time-travel.md's request counts are checked by
// queryPlan.test.ts). It is made twice: before the presence rule's coverage is known (the requests that do not
// depend on it, sent at once) and after (the rest); execute.ts sends them, familyData.ts and topology.ts decode.
import {
  KubernetesMetric,
  Label,
  lookbackMs,
  windowMs,
  Metric,
  nodeId,
  NodeKind,
  type LayoutAlgorithm,
  type Matcher,
} from '@timescope/common';
import { ADAPTERS, exactValues, FIGURE_PARTS, type FigurePart, type FigureQueries } from './adapters';
import { unsummedDiffers } from './adapters/figureCheck';
import { figureGrid, figureWindowOf } from './adapters/figureGrid';
import type { PromMatrixSeries, PromRequest, PromVectorSample } from './promClient';
import type { EdgeSource, Filters, Grouping, Mode, View } from './query';
import {
  baseCountsQuery,
  changesQuery,
  dockerInfoQuery,
  endpointsQuery,
  labelsAtQuery,
  labelsQuery,
  samplesQuery,
  seriesFamily,
  statesQuery,
  transitionsQuery,
  type Family,
  type NamedInstant,
  type Timing,
} from './queryBuilder';
import {
  changesPlan,
  coverageAsk,
  coverageOf,
  readsRule,
  tailInstants,
  type ChangesPlan,
  type CoverageAsk,
  type RuleCoverage,
} from './ruleCoverage';
import { fitStep } from './rangeFit';
import { samplesPlanFor, type SamplesPlan } from './samplePresence';
import { PROMETHEUS_2, type StoreCapabilities } from './store';
import { lastInstant, type Grid } from './timeline';

export interface TopologyRequest {
  view: View;
  mode: Mode;
  filters: Filters;
  groupBy: Grouping;
  edgeSource: EdgeSource;
  edgeMetric?: string;
  /** several edge sources merged on node ids (non-empty: `edgeSource` is ignored) */
  edgeSources?: readonly EdgeSource[];
  /** metric names per edge source (else `edgeMetric` for a single source, else the adapter's default) */
  edgeMetrics?: Partial<Record<EdgeSource, string>>;
  fromMs: number;
  toMs: number;
  /** instant mode: the instant shown (default toMs) */
  instantMs?: number;
  stepMs: number;
  scrapeIntervalMs: number;
  /** read the presence rule's changes where it covers the range (default true; false: always the raw series) */
  usePresenceRule?: boolean;
  /** fixedX / fixedY on the nodes frame from this layout, for Grafana's Node Graph (absent: none) */
  nodePositions?: LayoutAlgorithm;
  /** process view: hide the processes without any edge in the range (default) or show them */
  idleProcesses?: 'hide' | 'show';
}

export { PROMETHEUS_2, type StoreCapabilities, type StoreKind, type StoreLimits } from './store';

/** The one context of a query's plan, execution and decoding. */
export interface QueryContext {
  request: TopologyRequest;
  store: StoreCapabilities;
  grid: Grid;
  timing: Timing;
  /**
   * the presence in a grid cell after the range's start (docs/time-travel.md, "Grid cells"): on a grid coarser than
   * the lookback, what was present at any instant of the step; else the instant's own (`timing`)
   */
  cellTiming: Timing;
  /**
   * cells whose state is asked with the named instants (`CELL_AFTER_START`: the cell after the start, which the
   * transitions query would compare with a cell before the range; `CELL_AT_END`: the part of a cell between the last
   * grid instant and an end off the grid), each with its own timing
   */
  cells: readonly CellState[];
  /** the instants whose state is asked: the range's start, the instant shown and the range's end */
  instants: readonly NamedInstant[];
  /** those instants asked once per millisecond, and the names each asked one stands for */
  aliases: Aliases;
  /** the Timescope exporter's own series are asked (its nodes, its presence rule, Docker's names) */
  native: boolean;
  /** the presence rule may be read: the states of its families are asked with their base counts */
  usesRule: boolean;
  /** the rule's coverage request (absent: the rule cannot cover this grid, the raw series are read) */
  coverage?: CoverageAsk;
  /** the edge sources of the query, merged on node ids (one today; the seam for several per query) */
  edgeSources: readonly EdgeSource[];
  /** why the grid's step is coarser than the request's (absent: it is the request's) */
  stepNote?: string;
}

/** The one place the store decides the lookback window (common/src/lookback.ts) and the counters' increase. */
export function timingFor(store: StoreCapabilities, scrapeIntervalMs: number): Timing {
  return { lookbackMs: lookbackMs(scrapeIntervalMs, store.bounds), increase: store.increase };
}

/** A cell whose state is asked as a named instant. */
export interface CellState extends NamedInstant {
  timing: Timing;
}

/** The name of the state of the cell after the range's start. */
export const CELL_AFTER_START = 'cell.first';
/** The name of the state of the cell from the last grid instant to an end off the grid. */
export const CELL_AT_END = 'cell.end';

/**
 * The presence in a grid cell `widthMs` wide: an object present by the instant's rule at some instant of
 * [g - width + span, g] (span: the lookback's two scrape intervals), which for a series is a sample in (g - width, g].
 * A cell no wider than the span is the instant itself (the instant's rule).
 */
export function cellTimingFor(store: StoreCapabilities, scrapeIntervalMs: number, widthMs: number): Timing {
  const base = timingFor(store, scrapeIntervalMs);
  const spanMs = 2 * scrapeIntervalMs;
  if (widthMs <= spanMs) return base;
  const cell = {
    samplesMs: windowMs(widthMs, store.bounds),
    startOffsetMs: widthMs - spanMs,
    afterStartMs: windowMs(widthMs - spanMs, store.bounds),
  };
  return { ...base, cell };
}

/**
 * How much later than the instant's rule says an object leaves the cells of a grid of `stepMs`: it is still in the
 * cell whose first instant [g - step + span] it is present at (0 on a grid no coarser than the span).
 */
export function cellShiftMs(scrapeIntervalMs: number, stepMs: number): number {
  return Math.max(0, stepMs - 2 * scrapeIntervalMs);
}

/** The cells asked as named states: the one after the start (a coarse grid) and the end's (off the grid). */
function cellStates(store: StoreCapabilities, scrapeIntervalMs: number, grid: Grid): CellState[] {
  const out: CellState[] = [];
  const coarse = cellShiftMs(scrapeIntervalMs, grid.stepMs) > 0;
  const secondMs = grid.fromMs + grid.stepMs;
  if (coarse && secondMs <= grid.toMs) {
    out.push({
      name: CELL_AFTER_START,
      sec: secondMs / 1000,
      timing: cellTimingFor(store, scrapeIntervalMs, grid.stepMs),
    });
  }
  const last = lastInstant(grid);
  if (coarse && grid.toMs > last) {
    const timing = cellTimingFor(store, scrapeIntervalMs, grid.toMs - last);
    if (timing.cell) out.push({ name: CELL_AT_END, sec: grid.toMs / 1000, timing });
  }
  return out;
}

/** The edge sources a request reads (several are merged on node ids), each once. */
export function edgeSourcesOf(req: TopologyRequest): readonly EdgeSource[] {
  return req.edgeSources && req.edgeSources.length > 0 ? [...new Set(req.edgeSources)] : [req.edgeSource];
}

/** The metric an edge source reads in this request. */
export function edgeMetricOf(req: TopologyRequest, source: EdgeSource): string {
  const single = edgeSourcesOf(req).length === 1 ? req.edgeMetric : undefined;
  return req.edgeMetrics?.[source] || single || ADAPTERS[source].defaultMetric;
}

export function queryContext(request: TopologyRequest, store: StoreCapabilities = PROMETHEUS_2): QueryContext {
  // the store answers so many points per series: a finer step is coarsened before anything is asked
  const step = fitStep(request, store.limits);
  const grid: Grid = { fromMs: request.fromMs, toMs: request.toMs, stepMs: step.stepMs };
  const instantMs = request.instantMs ?? request.toMs;
  const edgeSources = edgeSourcesOf(request);
  const instants: NamedInstant[] = [
    { name: 'from', sec: request.fromMs / 1000 },
    { name: 'at', sec: instantMs / 1000 },
    { name: 'to', sec: request.toMs / 1000 },
  ];
  const native = edgeSources.includes('timescope');
  // only the exporter's series have a presence rule; its coverage asks for one rendered for the store's lookback
  const usesRule = native && request.usePresenceRule !== false;
  return {
    request,
    store,
    grid,
    timing: timingFor(store, request.scrapeIntervalMs),
    cellTiming: cellTimingFor(store, request.scrapeIntervalMs, step.stepMs),
    cells: cellStates(store, request.scrapeIntervalMs, grid),
    instants,
    aliases: aliases(instants),
    native,
    usesRule,
    coverage: usesRule ? coverageAsk(grid, request.scrapeIntervalMs, store.bounds) : undefined,
    edgeSources,
    ...(step.note ? { stepNote: step.note } : {}),
  };
}

/** The window holding everything seen at some grid instant: the range and one lookback before its start. */
export function seenWindowMs(grid: Grid, timing: Timing): number {
  return grid.toMs - grid.fromMs + timing.lookbackMs;
}

export const INFO_FAMILY: Readonly<Record<View, string>> = {
  host: Metric.HostInfo,
  process: Metric.ProcessInfo,
  container: Metric.ContainerInfo,
  pod: KubernetesMetric.PodInfo,
  workload: KubernetesMetric.WorkloadInfo,
  service: KubernetesMetric.ServiceInfo,
};

/** Views whose edges the exporter publishes directly (others are rolled up from process edges). */
const PUBLISHED_EDGE_VIEWS = new Set<View>(['pod', 'workload', 'service']);

/** Label matchers for the node filters of a view. */
export function nodeMatchers(view: View, f: Filters): Matcher[] {
  const m: Matcher[] = [];
  if (f.namespace) m.push({ label: Label.Namespace, op: '=~', value: exactValues(f.namespace) });
  if (f.host) m.push({ label: Label.Host, op: '=~', value: exactValues(f.host) });
  if (f.name) m.push({ label: Label.Name, op: '=~', value: f.name });
  if (f.kind && view === 'workload') m.push({ label: Label.WorkloadKind, op: '=~', value: exactValues(f.kind) });
  if (f.kind && view === 'pod') {
    // the workload id's shape, with a regex for each part
    m.push({ label: Label.Workload, op: '=~', value: nodeId.workload('[^/]*', exactValues(f.kind), '.*') });
  }
  return m;
}

export function nodeFamily(view: View, filters: Filters): Family {
  return seriesFamily([INFO_FAMILY[view]], nodeMatchers(view, filters), {
    by: [Label.Node],
    presence: 'sample',
    value: 'group',
  });
}

/**
 * What a family stands for: the view's nodes, the edges of an edge source, or the process edges (local, remote)
 * and parent links a host, container or Kubernetes view rolls up.
 */
export type FamilyRole = 'nodes' | 'edges' | 'local' | 'remote' | 'parents' | 'addresses';

export interface FamilyPlan {
  /** the prefix of its requests' ids */
  id: string;
  role: FamilyRole;
  /** the edge source of an edge family */
  source?: EdgeSource;
  family: Family;
  /** ask all labels of its series (nodes), preferring those present at `refSec` */
  withLabels?: { refSec: number };
  /** the rule's changes are read (undefined: the raw series, or the coverage is not known yet) */
  changes?: ChangesPlan;
  /** the transitions are worked out from the raw samples (samplePresence.ts) instead of a range query */
  samples?: SamplesPlan;
  /** grid instants after the rule's coverage asked as named instants of a state query, and their names */
  tail: number[];
  tailNames: NamedInstant[];
  /** the first grid instant of the transitions range query (absent: none is asked) */
  rangeFromMs?: number;
}

/** A family's plan before its requests are decided: what it stands for and which series. */
type FamilyBase = Omit<FamilyPlan, 'changes' | 'samples' | 'tail' | 'tailNames' | 'rangeFromMs'>;

export interface PlannedRequest {
  /** `<family>.<what>` (states.from, states, transitions, changes, labels, tail), or coverage/endpoints/docker */
  id: string;
  request: PromRequest;
}

export interface QueryPlan {
  families: FamilyPlan[];
  requests: PlannedRequest[];
  /** false: planned before the rule's coverage is known, the requests that depend on it are missing */
  complete: boolean;
}

/** The coverage's answer, not in yet. */
export const PENDING = 'pending';

/** The id of the presence rule's coverage request. */
export const COVERAGE_ID = 'coverage';

const processFamily = (metric: string, by: string[]): Family =>
  seriesFamily([metric], [{ label: Label.Kind, op: '=', value: NodeKind.Process }], {
    by,
    presence: 'positive',
    value: 'sum',
  });

/** The pods' IPs over the range: what `address:<ip>` ends (Coroot's) resolve to, instant by instant. */
export const addressFamily: Family = seriesFamily(
  [KubernetesMetric.PodInfo],
  [{ label: Label.PodIp, op: '!=', value: '' }],
  { by: [Label.Node, Label.PodIp], presence: 'sample', value: 'group' },
);

function edgeFamilies(ctx: QueryContext, source: EdgeSource): FamilyBase[] {
  const { view } = ctx.request;
  const prefix = ctx.edgeSources.length > 1 ? `${source}.` : '';
  if (source !== 'timescope' || PUBLISHED_EDGE_VIEWS.has(view)) {
    const adapter = ADAPTERS[source];
    const family = adapter.family(edgeMetricOf(ctx.request, source), view);
    const edges: FamilyBase = { id: `${prefix}edges`, role: 'edges', source, family };
    if (!adapter.resolvesAddresses) return [edges];
    return [edges, { id: `${prefix}addresses`, role: 'addresses', source, family: addressFamily }];
  }
  const out: FamilyBase[] = [
    {
      id: `${prefix}local`,
      role: 'local',
      source,
      family: processFamily(Metric.EdgeConnections, [Label.Source, Label.Target]),
    },
    {
      id: `${prefix}remote`,
      role: 'remote',
      source,
      family: processFamily(Metric.RemoteConnections, [Label.Node, Label.Direction, Label.Address, Label.Port]),
    },
  ];
  if (view !== 'process') {
    const names = [Metric.ProcessInfo, Metric.ContainerInfo, KubernetesMetric.PodInfo];
    const family = seriesFamily(names, [], { by: [Label.Node, Label.Parent], presence: 'sample', value: 'group' });
    out.push({ id: `${prefix}parents`, role: 'parents', source, family });
  }
  return out;
}

function familiesOf(ctx: QueryContext): FamilyBase[] {
  const req = ctx.request;
  const nodes: FamilyBase[] = ctx.native
    ? [
        {
          id: 'nodes',
          role: 'nodes',
          family: nodeFamily(req.view, req.filters),
          withLabels: { refSec: (req.mode === 'instant' ? (req.instantMs ?? req.toMs) : req.toMs) / 1000 },
        },
      ]
    : [];
  return [...nodes, ...ctx.edgeSources.flatMap((s) => edgeFamilies(ctx, s))];
}

export interface Aliases {
  unique: readonly NamedInstant[];
  names: ReadonlyMap<string, readonly string[]>;
}

/** Instants that fall on the same millisecond are asked once: the first name stands for the others. */
function aliases(instants: readonly NamedInstant[]): Aliases {
  const bySec = new Map<number, NamedInstant>();
  const names = new Map<string, string[]>();
  for (const i of instants) {
    const first = bySec.get(i.sec) ?? i;
    bySec.set(i.sec, first);
    names.set(first.name, [...(names.get(first.name) ?? []), i.name]);
  }
  return { unique: [...bySec.values()], names };
}

/** The names the tail instants are asked under. */
function tailNames(tail: readonly number[]): NamedInstant[] {
  return tail.map((g, i) => ({ name: `tail${i}`, sec: g / 1000 }));
}

/** Beyond this many grid instants after the presence rule's last evaluation, they are asked as one range query. */
const MAX_TAIL_INSTANTS = 4;

/** Which grid instants the raw series answer: a tail asked as named instants, or a range query from an instant. */
function rawPart(grid: Grid, changes: ChangesPlan | undefined): { tail: number[]; rangeFromMs?: number } {
  if (!changes) return { tail: [], rangeFromMs: grid.fromMs };
  const tail = tailInstants(grid, changes);
  return tail.length > MAX_TAIL_INSTANTS ? { tail: [], rangeFromMs: tail[0] } : { tail };
}

const instant = (query: string, timeSec: number): PromRequest => ({ kind: 'instant', query, timeSec });

/**
 * 2 to 5 requests per family, whatever the number of objects. With the rule possible, the start's state and
 * counts go in a request of their own beside the other instants' (Prometheus runs each request on one core; the
 * counts are wasted if the rule does not cover the range); both are asked while the coverage is being found out.
 */
function planFamily(
  ctx: QueryContext,
  base: FamilyBase,
  coverage: RuleCoverage | undefined | typeof PENDING,
): { plan: FamilyPlan; requests: PlannedRequest[] } {
  const { grid, timing } = ctx;
  const f = base.family;
  const toSec = grid.toMs / 1000;
  const rule = ctx.usesRule && readsRule(f);
  const { unique } = ctx.aliases;
  const first = rule ? unique.filter((i) => i.sec === grid.fromMs / 1000) : [];
  const rest = unique.filter((i) => !first.includes(i));
  const requests: PlannedRequest[] = [];
  const add = (what: string, request: PromRequest): void =>
    void requests.push({ id: requestId(base.id, what), request });
  if (rule) {
    add('states.from', instant(`${statesQuery(f, timing, first)} or ${baseCountsQuery(f, timing, grid)}`, toSec));
  }
  // a counter on a fine grid: its transitions, and its states where they are presence only, from its raw samples
  const raw = rule ? undefined : samplesPlanFor(f, timing, ctx.store, ctx.request.scrapeIntervalMs, grid, rest);
  const states = [
    ...(rest.length > 0 && !raw?.states ? [statesQuery(f, timing, rest)] : []),
    ...ctx.cells.map((c) => statesQuery(f, c.timing, [c])),
  ];
  if (states.length > 0) add('states', instant(states.join(' or '), toSec));
  if (rule && coverage === PENDING) return { plan: { ...base, tail: [], tailNames: [] }, requests };
  const planned = rule && coverage !== PENDING ? changesPlan(f, coverage, grid) : undefined;
  const shift = cellShiftMs(ctx.request.scrapeIntervalMs, grid.stepMs);
  const changes = planned && shift > 0 ? { ...planned, cellShiftMs: shift } : planned;
  const { tail, rangeFromMs } = rawPart(grid, changes);
  if (raw) {
    const rangeMs = Math.max(raw.own.rangeMs, base.source ? figureSamplesMs(ctx, base) : 0);
    add('samples', { kind: 'samples', query: samplesQuery(f.selector, rangeMs), timeSec: toSec });
    if (raw.also && f.alsoPresent) {
      add('samples.also', { kind: 'samples', query: samplesQuery(f.alsoPresent, raw.also.rangeMs), timeSec: toSec });
    }
  } else if (rangeFromMs !== undefined) {
    const q = transitionsQuery(f, ctx.cellTiming, grid.stepMs);
    add('transitions', {
      kind: 'range',
      query: q,
      startSec: rangeFromMs / 1000,
      endSec: toSec,
      stepSec: grid.stepMs / 1000,
    });
  }
  if (changes) {
    const c = changesQuery(f, changes);
    add('changes', { kind: 'samples', query: c.query, timeSec: c.atSec });
  }
  if (base.withLabels) {
    const refSec = base.withLabels.refSec;
    const q = changes
      ? labelsAtQuery(f, timing, refSec, grid.fromMs / 1000, grid.toMs - changes.coveredToMs)
      : labelsQuery(f, timing, seenWindowMs(grid, timing), refSec);
    add('labels', instant(q, toSec));
  }
  if (tail.length > 0) add('tail', instant(statesQuery(f, ctx.cellTiming, tailNames(tail)), toSec));
  const plan: FamilyPlan = {
    ...base,
    ...(changes ? { changes } : {}),
    ...(raw ? { samples: raw } : {}),
    tail,
    tailNames: tailNames(tail),
    ...(rangeFromMs !== undefined ? { rangeFromMs } : {}),
  };
  return { plan, requests };
}

/**
 * The plan of a topology query. `coverage`: the rule's coverage as answered (undefined: it does not cover the
 * range, or is not asked), or PENDING before its answer, for the requests that do not depend on it.
 */
export function planQuery(ctx: QueryContext, coverage: RuleCoverage | undefined | typeof PENDING): QueryPlan {
  const known = ctx.coverage ? coverage : undefined;
  const requests: PlannedRequest[] = ctx.coverage
    ? [{ id: COVERAGE_ID, request: instant(ctx.coverage.query, ctx.coverage.atSec) }]
    : [];
  const families: FamilyPlan[] = [];
  for (const base of familiesOf(ctx)) {
    const p = planFamily(ctx, base, known);
    families.push(p.plan);
    requests.push(...p.requests);
  }
  requests.push(...figureRequests(ctx));
  const windowMs = seenWindowMs(ctx.grid, ctx.timing);
  const toSec = ctx.grid.toMs / 1000;
  if (families.some((f) => f.role === 'remote'))
    requests.push({ id: 'endpoints', request: instant(endpointsQuery(windowMs), toSec) });
  if (ctx.native && ctx.request.view === 'container') {
    requests.push({ id: 'docker', request: instant(dockerInfoQuery(windowMs), toSec) });
  }
  return { families, requests, complete: known !== PENDING };
}

/** The id of a family's request (`samples`, `states`...): familyData.ts and topology.ts read the answers by it. */
export const requestId = (familyId: string, what: string): string => `${familyId}.${what}`;

/** The id of one of an edge source's figures requests (adapters/types.ts, FIGURE_PARTS). */
export const figuresId = (source: EdgeSource, part: FigurePart): string => `${source}.figures.${part}`;

/** The instants L7 figures are asked at (adapters/figureGrid.ts): the query's step or coarser. */
export function figureGridOf(ctx: QueryContext): Grid {
  return figureGrid(ctx.grid, ctx.request.scrapeIntervalMs);
}

/** The range selector L7 figures are taken over: one step of their grid. */
export function figureWindowMs(ctx: QueryContext): number {
  return figureWindowOf(figureGridOf(ctx), ctx.store.bounds);
}

/** The query of a figure asked without its sum, when it is (FigureQueries' `p95Unsummed`, `failedUnsummed`). */
export function unsummedOf(
  queries: FigureQueries,
  part: FigurePart,
): { query: string; by: readonly string[] } | undefined {
  if (part === 'p95') return queries.p95Unsummed;
  if (part === 'failed') return queries.failedUnsummed;
  return undefined;
}

/** A source's edge family whose raw samples are asked (samplePresence.ts): a counter on a fine grid. */
function sampledEdgeFamily(ctx: QueryContext, source: EdgeSource): Family | undefined {
  const base = edgeFamilies(ctx, source).find((b) => b.role === 'edges');
  if (!base || (ctx.usesRule && readsRule(base.family))) return undefined;
  const { timing, store, grid } = ctx;
  return samplesPlanFor(base.family, timing, store, ctx.request.scrapeIntervalMs, grid) ? base.family : undefined;
}

/**
 * Whether a source's request rate is worked out from its edge family's raw samples (adapters/sampleRates.ts) instead
 * of a range query: they are asked anyway, and they are the very series the rate query sums.
 */
export function rateFromSamples(ctx: QueryContext, source: EdgeSource): boolean {
  const rateOf = figureQueriesOf(ctx, source)?.rateOf;
  const f = rateOf && sampledEdgeFamily(ctx, source);
  return Boolean(f && f.selector === rateOf.selector && f.by.join('\u0000') === rateOf.by.join('\u0000'));
}

/** How far back an edge family's samples reach when its figures' rate is worked out from them (0: it is not). */
function figureSamplesMs(ctx: QueryContext, base: FamilyBase): number {
  if (base.role !== 'edges' || !base.source || !rateFromSamples(ctx, base.source)) return 0;
  return ctx.grid.toMs - figureGridOf(ctx).fromMs + figureWindowMs(ctx);
}

/** A source's figure queries (undefined: it has no L7 figures), for the query's metric and figure window. */
export function figureQueriesOf(ctx: QueryContext, source: EdgeSource): FigureQueries | undefined {
  return ADAPTERS[source].figures?.(edgeMetricOf(ctx.request, source), figureWindowMs(ctx));
}

/** A figure query as a range request on the figures' grid. */
function figureRange(ctx: QueryContext, query: string): PromRequest {
  const { fromMs, toMs, stepMs } = figureGridOf(ctx);
  return { kind: 'range', query, startSec: fromMs / 1000, endSec: toMs / 1000, stepSec: stepMs / 1000 };
}

/**
 * Three range queries per source with L7 figures, on the figures' grid (the panel's instant moves over them); two
 * where the rate is worked out from the samples (`rateFromSamples`).
 */
function figureRequests(ctx: QueryContext): PlannedRequest[] {
  const out: PlannedRequest[] = [];
  for (const source of ctx.edgeSources) {
    const queries = figureQueriesOf(ctx, source);
    if (!queries) continue;
    const fromSamples = rateFromSamples(ctx, source);
    for (const part of FIGURE_PARTS) {
      if (part === 'rate' && fromSamples) continue;
      const query = unsummedOf(queries, part)?.query ?? queries[part];
      out.push({ id: figuresId(source, part), request: figureRange(ctx, query) });
    }
  }
  return out;
}

/**
 * The summed p95 queries of the sources whose p95 was asked without the sum and answered otherwise than the sum
 * would have (adapters/figureCheck.ts), under the same ids: asked once the plan's answers are in.
 */
export function summedP95Requests(ctx: QueryContext, p95Rows: (id: string) => readonly PromMatrixSeries[]) {
  const out: PlannedRequest[] = [];
  for (const source of ctx.edgeSources) {
    const queries = figureQueriesOf(ctx, source);
    const id = figuresId(source, 'p95');
    if (!queries?.p95Unsummed || !unsummedDiffers(p95Rows(id), queries.p95Unsummed.by)) continue;
    out.push({ id, request: figureRange(ctx, queries.p95) });
  }
  return out;
}

/** The complete plan once the coverage request (`COVERAGE_ID`) is answered. */
export function planWithCoverage(ctx: QueryContext, rows: readonly PromVectorSample[]): QueryPlan {
  return planQuery(ctx, ctx.coverage ? coverageOf(ctx.coverage, rows) : undefined);
}

/** One line per request (`<id> <kind>`), as tests and docs list them. */
export function describePlan(plan: QueryPlan): string[] {
  return plan.requests.map((r) => `${r.id} ${r.request.kind}`);
}
