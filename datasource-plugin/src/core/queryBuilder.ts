// PromQL for time travel (docs/time-travel.md). Every object kind is a "family": a selector, the labels that
// identify one object, and how presence is decided. For a family we ask Prometheus three things, whatever the
// number of objects: its state at a few instants (one instant query using `@`), its appearances and
// disappearances over the range (one sparse range query), and, for nodes, its labels (one instant query). Where
// the presence rule covers the range, presenceChanges.ts reads its changes instead of the range query.
import { anyOf, durationMs, matcher, selector, type Matcher } from '@timescope/common';

export interface Family {
  /** labels identifying one object */
  by: readonly string[];
  /** a selector (metric name and matchers, or `{__name__=~...}`) */
  selector: string;
  /** how presence is decided: a sample in the lookback (gauges) or an increase in it (counters) */
  presence: 'sample' | 'positive' | 'increase';
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
}

function modifiers(atSec?: number, offsetMs?: number): string {
  let m = '';
  if (atSec !== undefined) m += ` @ ${atSec.toFixed(3)}`;
  if (offsetMs) m += ` offset ${durationMs(offsetMs)}`;
  return m;
}

/** Per-series presence at the evaluation instant (shifted by `@`/offset), before aggregation. */
export function presenceExpr(f: Family, t: Timing, atSec?: number, offsetMs?: number): string {
  const m = modifiers(atSec, offsetMs);
  switch (f.presence) {
    case 'sample':
      return `last_over_time(${f.selector}[${durationMs(t.lookbackMs)}]${m})`;
    case 'positive':
      return `(last_over_time(${f.selector}[${durationMs(t.lookbackMs)}]${m}) > 0)`;
    case 'increase':
      // counters need two samples in the window: twice the lookback
      return `(increase(${f.selector}[${durationMs(2 * t.lookbackMs)}]${m}) > 0)`;
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
 * during the range bring their labels with their changes.
 */
export function labelsAtQuery(f: Family, t: Timing, refSec: number, fromSec: number): string {
  return `(${lastAt(f, t, refSec)} * 2) or ${lastAt(f, t, fromSec)}`;
}
