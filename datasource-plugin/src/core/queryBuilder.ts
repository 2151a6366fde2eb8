// PromQL for time travel (docs/time-travel.md). Every object kind is a "family": a selector, the labels that
// identify one object, and how presence is decided. For a family we ask Prometheus three things, whatever the
// number of objects: its state at a few instants (one instant query using `@`), its appearances and
// disappearances over the range (one sparse range query), and, for nodes, its labels (one instant query). Where
// the presence rule covers the range, its changes are read instead of the range query. Every PromQL string the
// topology asks is written here; queryPlan.ts decides which are asked.
import {
  anyOf,
  DockerMetric,
  durationMs,
  Label,
  lookbackLabel,
  matcher,
  Metric,
  PRESENCE_CHANGES,
  PRESENCE_METRIC_LABEL,
  PRESENCE_RULE_EVALUATIONS,
  presenceIntervalLabel,
  selector,
  type Matcher,
  type RangeBounds,
} from '@timescope/common';

export interface Family {
  /** labels identifying one object */
  by: readonly string[];
  /** a selector (metric name and matchers, or `{__name__=~...}`) */
  selector: string;
  /** how presence is decided: a sample in the lookback (gauges) or an increase in it (counters) */
  presence: 'sample' | 'positive' | 'increase';
  /** a gauge whose positive sample in the lookback also makes the object present (Tempo's connection_info) */
  alsoPresent?: string;
  /** aggregation of the value in state queries (sum of connections; group for presence only) */
  value: 'sum' | 'group';
  /** the selector's metric names and matchers, when it is built from them (lets the presence rule be read) */
  metrics?: readonly string[];
  matchers?: readonly Matcher[];
}

/** A family over the series of `metrics` (one or several names) that match `matchers`. */
export function seriesFamily(
  metrics: readonly string[],
  matchers: readonly Matcher[],
  how: Pick<Family, 'by' | 'presence' | 'value'>,
): Family {
  const sel =
    metrics.length === 1
      ? selector(metrics[0], matchers)
      : `{${[{ label: '__name__', op: '=~' as const, value: anyOf(metrics) }, ...matchers].map(matcher).join(', ')}}`;
  return { ...how, selector: sel, metrics, matchers };
}

export interface Timing {
  /** the lookback window: a sample in (T - lookback, T] means present at T */
  lookbackMs: number;
  /** the function matching Prometheus' increase() on the store (VictoriaMetrics: increase_prometheus) */
  increase?: 'increase' | 'increase_prometheus';
  /** a grid cell's presence rather than an instant's (absent: the instant's; queryPlan.ts's cellTimingFor) */
  cell?: CellWindows;
}

/**
 * The windows of a grid cell ending at the evaluation instant g, `width` wide (docs/time-travel.md, "Grid cells"):
 * an object is in the cell when it is present by the instant's rule at some instant of [g - width + span, g],
 * span being the lookback's two scrape intervals; for a series that is exactly "a sample in (g - width, g]".
 */
export interface CellWindows {
  /** the selector's duration holding the samples in (g - width, g] */
  samplesMs: number;
  /** the cell's first instant is `g - startOffsetMs` (width - span) */
  startOffsetMs: number;
  /** the selector's duration holding the samples after the cell's first instant: (g - width + span, g] */
  afterStartMs: number;
}

function modifiers(atSec?: number, offsetMs?: number): string {
  let m = '';
  if (atSec !== undefined) m += ` @ ${atSec.toFixed(3)}`;
  if (offsetMs) m += ` offset ${durationMs(offsetMs)}`;
  return m;
}

/** Per-series presence at the evaluation instant (shifted by `@`/offset), before aggregation. */
export function presenceExpr(f: Family, t: Timing, atSec?: number, offsetMs?: number): string {
  if (t.cell) return cellPresenceExpr(f, t, t.cell, atSec, offsetMs);
  const own = ownPresenceExpr(f, t, modifiers(atSec, offsetMs));
  if (!f.alsoPresent) return own;
  return `(${own} or (last_over_time(${f.alsoPresent}[${durationMs(t.lookbackMs)}]${modifiers(atSec, offsetMs)}) > 0))`;
}

/**
 * A gauge in a cell: positive at the cell's first instant, or a positive sample after it (either makes it present
 * at some instant of the cell).
 */
function positiveInCell(sel: string, t: Timing, c: CellWindows, atSec?: number, offsetMs?: number): string {
  const atStart = `last_over_time(${sel}[${durationMs(t.lookbackMs)}]${modifiers(atSec, (offsetMs ?? 0) + c.startOffsetMs)})`;
  const after = `max_over_time(${sel}[${durationMs(c.afterStartMs)}]${modifiers(atSec, offsetMs)})`;
  return `((${atStart} > 0) or (${after} > 0))`;
}

function cellPresenceExpr(f: Family, t: Timing, c: CellWindows, atSec?: number, offsetMs?: number): string {
  const m = modifiers(atSec, offsetMs);
  const own =
    f.presence === 'sample'
      ? `last_over_time(${f.selector}[${durationMs(c.samplesMs)}]${m})`
      : f.presence === 'positive'
        ? positiveInCell(f.selector, t, c, atSec, offsetMs)
        : // a counter's increase over the windows of every instant of the cell
          `(${t.increase ?? 'increase'}(${f.selector}[${durationMs(2 * t.lookbackMs + c.startOffsetMs)}]${m}) > 0)`;
  if (!f.alsoPresent) return own;
  return `(${own} or ${positiveInCell(f.alsoPresent, t, c, atSec, offsetMs)})`;
}

function ownPresenceExpr(f: Family, t: Timing, m: string): string {
  switch (f.presence) {
    case 'sample':
      return `last_over_time(${f.selector}[${durationMs(t.lookbackMs)}]${m})`;
    case 'positive':
      return `(last_over_time(${f.selector}[${durationMs(t.lookbackMs)}]${m}) > 0)`;
    case 'increase':
      // counters need two samples in the window: twice the lookback
      return `(${t.increase ?? 'increase'}(${f.selector}[${durationMs(2 * t.lookbackMs)}]${m}) > 0)`;
  }
}

const byClause = (f: Family): string => `by (${f.by.join(', ')})`;

/** One object per row: present at the evaluation instant. */
export function presentExpr(f: Family, t: Timing, atSec?: number, offsetMs?: number): string {
  return `group ${byClause(f)} (${presenceExpr(f, t, atSec, offsetMs)})`;
}

export const AT_LABEL = 'timescope_at';

export interface NamedInstant {
  name: string;
  sec: number;
}

/** The state at several instants in one instant query; each row carries `timescope_at=<name>`. */
export function statesQuery(f: Family, t: Timing, instants: readonly NamedInstant[]): string {
  const agg = f.value === 'sum' ? 'sum' : 'group';
  return instants
    .map(
      (i) => `label_replace(${agg} ${byClause(f)} (${presenceExpr(f, t, i.sec)}), "${AT_LABEL}", "${i.name}", "", "")`,
    )
    .join(' or ');
}

/** Range query: 1 where an object appears at a step, -1 where it disappeared since the previous step. */
export function transitionsQuery(f: Family, t: Timing, stepMs: number): string {
  const now = presentExpr(f, t);
  const before = presentExpr(f, t, undefined, stepMs);
  return `(${now} unless ${before}) or (-1 * (${before} unless ${now}))`;
}

/**
 * Label sets of a family's series over the window ending at the evaluation instant; those present at `refSec`
 * come with value 2 (preferred when an object changed labels during the range), the others with 1.
 */
export function labelsQuery(f: Family, t: Timing, windowMs: number, refSec: number): string {
  return `(${lastAt(f, t, refSec)} * 2) or last_over_time(${f.selector}[${durationMs(windowMs)}])`;
}

/** Each series' last sample in the lookback before `sec` (all its labels kept). */
function lastAt(f: Family, t: Timing, sec: number): string {
  return `last_over_time(${f.selector}[${durationMs(t.lookbackMs)}]${modifiers(sec)})`;
}

/**
 * With the presence rule: the label sets at `refSec` (value 2) and at the grid's start; the series that appear
 * during the range bring their labels with their changes, and those seen after the rule's coverage (the last
 * `afterMs` before the evaluation instant, the range's end) are read over that window.
 */
export function labelsAtQuery(f: Family, t: Timing, refSec: number, fromSec: number, afterMs = 0): string {
  const after = afterMs > 0 ? ` or last_over_time(${f.selector}[${durationMs(afterMs)}])` : '';
  return `(${lastAt(f, t, refSec)} * 2) or ${lastAt(f, t, fromSec)}${after}`;
}

/** The `timescope_at` of the base counts' rows. */
export const BASE_AT = 'base';

/**
 * The objects with several series present at `fromSec`, with their count (rows labelled `timescope_at=base`); an
 * object present there with one series is not listed.
 */
export function baseCountsQuery(f: Family, t: Timing, grid: { fromMs: number }): string {
  const count = `count by (${f.by.join(', ')}) (${presenceExpr(f, t, grid.fromMs / 1000)}) > 1`;
  return `label_replace(${count}, "${AT_LABEL}", "${BASE_AT}", "", "")`;
}

export const COVERAGE_STATS = ['count_over_time', 'min_over_time', 'max_over_time'] as const;

/**
 * count, first and last evaluation of the presence rule rendered for this interval and the store's lookback, over
 * the window ending at the evaluation instant (groups rendered before the `lookback` label were for Prometheus 2.x)
 */
export function coverageQuery(intervalMs: number, windowMs: number, bounds: RangeBounds = 'closed'): string {
  const lookback = lookbackLabel(intervalMs, bounds);
  const matchers = [
    matcher({ label: 'interval', op: '=', value: presenceIntervalLabel(intervalMs / 1000) }),
    bounds === 'closed'
      ? matcher({ label: 'lookback', op: '=~', value: `${lookback}|` })
      : matcher({ label: 'lookback', op: '=', value: lookback }),
  ];
  const sel = `${PRESENCE_RULE_EVALUATIONS}{${matchers.join(', ')}}`;
  return COVERAGE_STATS.map(
    (fn) => `label_replace(${fn}(${sel}[${durationMs(windowMs)}]), "stat", "${fn}", "", "")`,
  ).join(' or ');
}

/** The presence rule's samples for the family's series, from the evaluations in (evalFromMs, evalToMs]. */
export function changesQuery(
  f: Family,
  evals: { evalFromMs: number; evalToMs: number },
): { query: string; atSec: number } {
  const matchers = [
    matcher({ label: PRESENCE_METRIC_LABEL, op: '=~', value: anyOf(f.metrics ?? []) }),
    ...(f.matchers ?? []).map(matcher),
  ];
  // range selectors include both ends: (evalFromMs, evalToMs]
  const windowMs = evals.evalToMs - evals.evalFromMs - 1;
  return {
    query: `${PRESENCE_CHANGES}{${matchers.join(', ')}}[${durationMs(windowMs)}]`,
    atSec: evals.evalToMs / 1000,
  };
}

/** The raw samples of a selector's series over the window ending at the evaluation instant (samplePresence.ts). */
export function samplesQuery(sel: string, windowMs: number): string {
  return `${sel}[${durationMs(windowMs)}]`;
}

/** Listening sockets and host addresses seen in the window (the ends remote connections resolve to). */
export function endpointsQuery(windowMs: number): string {
  return `group by (node, host, address, port) (last_over_time({__name__=~"${Metric.ListenInfo}|${Metric.HostAddressInfo}"}[${windowMs}ms]))`;
}

export const DOCKER_LABELS = [Label.Name, Label.Image, Label.ComposeProject, Label.ComposeService] as const;

/** The Docker labels of every container seen in the window ending at the evaluation instant. */
export function dockerInfoQuery(windowMs: number): string {
  const by = [Label.Node, ...DOCKER_LABELS].join(', ');
  return `max by (${by}) (last_over_time(${DockerMetric.ContainerDockerInfo}[${durationMs(windowMs)}]))`;
}
