// A counter family's transitions on a fine grid, worked out from its raw samples instead of a range query. On a grid
// no coarser than the lookback (step <= 2 scrape intervals), the transitions query has Prometheus evaluate
// `increase()` over every series' window at every step, two to four times (each window holds a few samples, and
// every sample is read at several steps): for 1,000 Tempo edges over 6 hours, seconds. The same series' raw samples
// over the range are fewer than two per step, so the datasource asks for them (one instant query of a range
// selector) and judges each window exactly as PromQL does: `increase(x[w]) > 0` at T when (T - w, T] (Prometheus
// 2.x: [T - w, T]) holds two samples or more and the counter rose between them (a reset counts as a rise from 0;
// the extrapolation only scales the value), and `last_over_time(g[l]) > 0` for the gauge that also makes an object
// present (Tempo's connection_info). The rows it gives are those the transitions query would have answered.
// Not used on VictoriaMetrics (its `increase_prometheus` and latency offset are not modelled here) nor on a coarse
// grid (there a step's presence is the grid cell's, which the range query asks).
import type { RangeBounds } from '@timescope/common';
import type { PromMatrixSeries, PromVectorSample } from './promClient';
import { AT_LABEL, type Family, type NamedInstant, type Timing } from './queryBuilder';
import { counterRise, sampleArrays } from './sampleArrays';
import type { StoreCapabilities } from './store';
import type { Grid } from './timeline';

/** One samples request: a range selector's duration, evaluated at the grid's end, and the presence it decides. */
export interface SamplesAsk {
  /** the selector's duration: the range and one presence window before its start */
  rangeMs: number;
  /** the presence window's selector duration, and how it is decided */
  windowMs: number;
  presence: Family['presence'];
}

export interface SamplesPlan {
  /** the named instants whose states are worked out from the samples too (a presence-only family) */
  states?: readonly NamedInstant[];
  own: SamplesAsk;
  /** the family's `alsoPresent` gauge (positive in its lookback) */
  also?: SamplesAsk;
  bounds: RangeBounds;
}

/**
 * The samples a family's transitions are worked out from, or undefined where the range query asks them: not a
 * counter, a grid coarser than the lookback, or a store whose functions are not modelled here. The states at
 * `instants` come from them too when the family's value is presence only (`group`) and the instants are in the range.
 */
export function samplesPlanFor(
  f: Family,
  timing: Timing,
  store: StoreCapabilities,
  scrapeIntervalMs: number,
  grid: Grid,
  instants: readonly NamedInstant[] = [],
): SamplesPlan | undefined {
  if (f.presence !== 'increase' || store.increase !== 'increase' || grid.stepMs > 2 * scrapeIntervalMs)
    return undefined;
  const ask = (windowMs: number, presence: Family['presence']): SamplesAsk => ({
    rangeMs: grid.toMs - grid.fromMs + windowMs,
    windowMs,
    presence,
  });
  const own = ask(2 * timing.lookbackMs, 'increase');
  const inRange = instants.every(
    (i) => Math.round(i.sec * 1000) >= grid.fromMs && Math.round(i.sec * 1000) <= grid.toMs,
  );
  return {
    ...(f.value === 'group' && instants.length > 0 && inRange ? { states: instants } : {}),
    own,
    ...(f.alsoPresent ? { also: ask(timing.lookbackMs, 'positive') } : {}),
    bounds: store.bounds,
  };
}

/** Whether the samples [lo, hi) of a window make the series present by the ask's rule. */
function judged(ask: SamplesAsk, values: Float64Array, lo: number, hi: number): boolean {
  if (ask.presence === 'increase') return hi - lo >= 2 && counterRise(values, lo, hi) > 0;
  if (ask.presence === 'positive') return hi > lo && values[hi - 1] > 0;
  return hi > lo;
}

/**
 * Marks in `present` the grid instants at which one series is present by the ask's rule. A window's samples change
 * only where a sample enters or leaves it: each run of grid instants between two such events is judged once.
 */
function markSeries(
  s: PromMatrixSeries,
  ask: SamplesAsk,
  bounds: RangeBounds,
  grid: Grid,
  present: Uint8Array,
  instantsMs: readonly number[],
  atInstants: Uint8Array,
): void {
  const n = present.length;
  const len = s.values.length;
  const { times, values } = sampleArrays(s);
  const { fromMs, stepMs } = grid;
  const w = ask.windowMs;
  const closed = bounds === 'closed';
  instantsMs.forEach((t, k) => {
    let hi = 0;
    while (hi < len && times[hi] <= t) hi++;
    let lo = 0;
    while (lo < hi && (closed ? times[lo] < t - w : times[lo] <= t - w)) lo++;
    if (judged(ask, values, lo, hi)) atInstants[k] = 1;
  });
  let lo = 0;
  let hi = 0;
  let j = 0;
  while (j < n) {
    const g = fromMs + j * stepMs;
    while (hi < len && times[hi] <= g) hi++;
    while (lo < hi && (closed ? times[lo] < g - w : times[lo] <= g - w)) lo++;
    // the next grid instant at which a sample enters the window, or its oldest leaves it
    let next = n;
    if (hi < len) next = Math.ceil((times[hi] - fromMs) / stepMs);
    if (lo < hi) {
      const leaves = (times[lo] + w - fromMs) / stepMs;
      next = Math.min(next, closed ? Math.floor(leaves) + 1 : Math.ceil(leaves));
    }
    next = Math.min(n, Math.max(next, j + 1));
    if (judged(ask, values, lo, hi)) present.fill(1, j, next);
    j = next;
  }
}

export interface FromSamples {
  /** the transitions query's rows */
  transitions: PromMatrixSeries[];
  /** the states query's rows at the plan's `states` instants (value 1, labelled `timescope_at`) */
  states: PromVectorSample[];
}

/**
 * The rows the range and state queries would have answered, from the raw samples: per object (by the family's
 * labels) that changed, +1 at each grid instant after the start where it is present and was not one step before,
 * -1 where it was and is not; and, for the plan's named instants, one row per object present there.
 */
export function fromSamples(
  f: Family,
  plan: SamplesPlan,
  grid: Grid,
  own: readonly PromMatrixSeries[],
  also: readonly PromMatrixSeries[] = [],
): FromSamples {
  const n = Math.floor((grid.toMs - grid.fromMs) / grid.stepMs) + 1;
  const instants = plan.states ?? [];
  const instantsMs = instants.map((i) => Math.round(i.sec * 1000));
  const objects = new Map<string, { labels: Record<string, string>; present: Uint8Array; at: Uint8Array }>();
  const mark = (rows: readonly PromMatrixSeries[], ask: SamplesAsk | undefined): void => {
    if (!ask) return;
    for (const s of rows) {
      const key = f.by.map((l) => s.metric[l] ?? '').join('\u0000');
      let o = objects.get(key);
      if (!o) {
        const labels: Record<string, string> = {};
        for (const l of f.by) if (s.metric[l]) labels[l] = s.metric[l];
        o = { labels, present: new Uint8Array(n), at: new Uint8Array(instants.length) };
        objects.set(key, o);
      }
      markSeries(s, ask, plan.bounds, grid, o.present, instantsMs, o.at);
    }
  };
  mark(own, plan.own);
  mark(also, plan.also);
  const transitions: PromMatrixSeries[] = [];
  const states: PromVectorSample[] = [];
  const evalSec = grid.toMs / 1000;
  for (const { labels, present, at } of objects.values()) {
    const values: [number, string][] = [];
    for (let j = 1; j < n; j++) {
      if (present[j] === present[j - 1]) continue;
      values.push([(grid.fromMs + j * grid.stepMs) / 1000, present[j] === 1 ? '1' : '-1']);
    }
    if (values.length > 0) transitions.push({ metric: labels, values });
    instants.forEach((i, k) => {
      if (at[k] === 1) states.push({ metric: { ...labels, [AT_LABEL]: i.name }, value: [evalSec, '1'] });
    });
  }
  return { transitions, states };
}

/** The transitions query's rows from the raw samples (`fromSamples`). */
export function transitionsFromSamples(
  f: Family,
  plan: SamplesPlan,
  grid: Grid,
  own: readonly PromMatrixSeries[],
  also: readonly PromMatrixSeries[] = [],
): PromMatrixSeries[] {
  return fromSamples(f, plan, grid, own, also).transitions;
}
