// The fast timeline: reads the presence rule's output (common/src/presenceRule.ts; docs/time-travel.md, "The
// presence rule") instead of evaluating every series at every step. Used only where it gives the same answer:
// the rule ran without a missed evaluation over the whole range, with this datasource's scrape interval, for a
// family of series it records. The instants the rule has not described yet (the last seconds of a live range)
// are asked of the raw series as before.
import {
  PRESENCE_CHANGES,
  PRESENCE_METRIC_LABEL,
  PRESENCE_RULE_EVALUATIONS,
  PRESENCE_RULE_METRICS,
  anyOf,
  durationMs,
  matcher,
  presenceIntervalLabel,
  presenceRuleTiming,
} from '@timescope/common';
import type { PromClient, PromMatrixSeries } from './promClient';
import { AT_LABEL, presenceExpr, type Family, type Timing } from './queryBuilder';
import { lastInstant, type Grid, type Transition } from './timeline';

export interface RuleCoverage {
  /** first and last evaluation (ms) of an unbroken run of evaluations around the range */
  firstEvalMs: number;
  lastEvalMs: number;
  intervalMs: number;
  /** an evaluation at E describes the instant E - delay */
  delayMs: number;
}

const STATS = ['count_over_time', 'min_over_time', 'max_over_time'] as const;

/** count, first and last evaluation of the rule over the window ending at the evaluation instant, in one query */
export function coverageQuery(intervalMs: number, windowMs: number): string {
  const sel = `${PRESENCE_RULE_EVALUATIONS}{${matcher({ label: 'interval', op: '=', value: presenceIntervalLabel(intervalMs / 1000) })}}`;
  return STATS.map((fn) => `label_replace(${fn}(${sel}[${durationMs(windowMs)}]), "stat", "${fn}", "", "")`).join(
    ' or ',
  );
}

/**
 * Whether the rule describes the whole grid: evaluations from before its start to (nearly) its end, none missed
 * (evaluations are exactly one interval apart, so their count tells). Undefined: read the raw series instead.
 */
export async function queryCoverage(
  client: PromClient,
  grid: Grid,
  scrapeIntervalMs: number,
  signal?: AbortSignal,
): Promise<RuleCoverage | undefined> {
  if (!Number.isInteger(scrapeIntervalMs / 1000) || scrapeIntervalMs <= 0) return undefined;
  const t = presenceRuleTiming(scrapeIntervalMs / 1000);
  const intervalMs = t.intervalS * 1000;
  const delayMs = t.delayS * 1000;
  // up to the evaluation after the one describing the grid's last instant, so that a past range needs no tail
  const atMs = lastInstant(grid) + delayMs + intervalMs;
  const windowMs = atMs - (grid.fromMs - intervalMs);
  const rows = await client.instant(coverageQuery(intervalMs, windowMs), atMs / 1000, signal);
  const stat = new Map<string, number[]>();
  for (const r of rows) stat.set(r.metric.stat ?? '', [...(stat.get(r.metric.stat ?? '') ?? []), Number(r.value[1])]);
  const one = (fn: string): number | undefined => {
    const v = stat.get(fn);
    return v && v.length === 1 ? v[0] : undefined; // several evaluation series (HA rulers): not handled here
  };
  const [count, min, max] = STATS.map(one);
  if (count === undefined || min === undefined || max === undefined) return undefined;
  const firstEvalMs = Math.round(min * 1000);
  const lastEvalMs = Math.round(max * 1000);
  if (Math.round((lastEvalMs - firstEvalMs) / intervalMs) + 1 !== count) return undefined;
  return { firstEvalMs, lastEvalMs, intervalMs, delayMs };
}

export interface ChangesPlan {
  /** the evaluations holding the changes after the grid's start: (evalFromMs, evalToMs] */
  evalFromMs: number;
  evalToMs: number;
  /** the last grid instant the changes describe; later instants are asked of the raw series */
  coveredToMs: number;
  delayMs: number;
  intervalMs: number;
}

const BASE = 'base';

/** Whether the rule records the family's series (and the family's presence is the rule's). */
export function readsRule(f: Family): boolean {
  return (
    f.presence !== 'increase' &&
    f.matchers !== undefined &&
    f.metrics !== undefined &&
    f.metrics.length > 0 &&
    f.metrics.every((m) => PRESENCE_RULE_METRICS.includes(m))
  );
}

export function changesPlan(f: Family, c: RuleCoverage | undefined, grid: Grid): ChangesPlan | undefined {
  if (!c || !readsRule(f)) return undefined;
  if (c.firstEvalMs - c.delayMs > grid.fromMs) return undefined;
  // the evaluation whose instant is the last at or before the start: every change after the start comes later
  const k = Math.floor((grid.fromMs - (c.firstEvalMs - c.delayMs)) / c.intervalMs);
  const evalFromMs = c.firstEvalMs + k * c.intervalMs;
  const coveredToMs = Math.min(c.lastEvalMs - c.delayMs, lastInstant(grid));
  if (coveredToMs < grid.fromMs) return undefined;
  // a change at T is recorded by the first evaluation whose instant is >= T
  const evalToMs = Math.min(c.lastEvalMs, coveredToMs + c.delayMs + c.intervalMs);
  return { evalFromMs, evalToMs, coveredToMs, delayMs: c.delayMs, intervalMs: c.intervalMs };
}

/**
 * The objects with several series present at the grid's start, with their count (rows labelled
 * `timescope_at=base`); an object present there with one series is not listed.
 */
export function baseCountsQuery(f: Family, t: Timing, grid: Grid): string {
  const count = `count by (${f.by.join(', ')}) (${presenceExpr(f, t, grid.fromMs / 1000)}) > 1`;
  return `label_replace(${count}, "${AT_LABEL}", "${BASE}", "", "")`;
}

/** The series present at the grid's start per object: the base counts, 1 for the other objects present there. */
export function baseCounts(
  rows: readonly { metric: Record<string, string>; value: [number, string] }[],
  key: (l: Record<string, string>) => string,
  initial: ReadonlySet<string>,
): Map<string, number> {
  const out = new Map<string, number>([...initial].map((k) => [k, 1]));
  for (const r of rows) if (r.metric[AT_LABEL] === BASE) out.set(key(r.metric), Number(r.value[1]));
  return out;
}

/** The rule's samples for the family's series, from the evaluations of the plan. */
export function changesQuery(f: Family, plan: ChangesPlan): { query: string; atSec: number } {
  const matchers = [
    matcher({ label: PRESENCE_METRIC_LABEL, op: '=~', value: anyOf(f.metrics ?? []) }),
    ...(f.matchers ?? []).map(matcher),
  ];
  // range selectors include both ends: (evalFromMs, evalToMs]
  const windowMs = plan.evalToMs - plan.evalFromMs - 1;
  return { query: `${PRESENCE_CHANGES}{${matchers.join(', ')}}[${durationMs(windowMs)}]`, atSec: plan.evalToMs / 1000 };
}

/** The first grid instant at or after `ms` (the grid's start for earlier instants). */
function gridCeil(grid: Grid, ms: number): number {
  if (ms <= grid.fromMs) return grid.fromMs;
  return grid.fromMs + Math.ceil((ms - grid.fromMs) / grid.stepMs) * grid.stepMs;
}

interface Change {
  /** the series' place in the answer (each element of a matrix answer is one series) */
  series: number;
  atMs: number;
  change: 1 | -1;
}

/**
 * Turns the changes of each series into the object's transitions on the grid. A change's value is its instant (+T
 * appeared, -T disappeared; presenceRule.ts), kept within the interval its evaluation compared. An object is
 * present while one of its series is: its count starts at the base count (the grid's start) and moves with its
 * series' changes (a series whose first change is -1 was counted in the base). `initial`: the objects present at the grid's start, as the exact state
 * query says (the transitions are relative to it).
 */
export function changesToTransitions(
  grid: Grid,
  plan: ChangesPlan,
  keyOf: (labels: Record<string, string>) => string,
  base: ReadonlyMap<string, number>,
  changes: readonly PromMatrixSeries[],
  initial: ReadonlySet<string>,
): Transition[] {
  const byKey = new Map<string, Change[]>();
  for (const [series, s] of changes.entries()) {
    const key = keyOf(s.metric);
    const list = byKey.get(key) ?? [];
    for (const [t, v] of s.values) {
      // the evaluation at E compared the instants E - delay and one interval before: the change lies between them
      const rMs = Math.round(Number(t) * 1000) - plan.delayMs;
      const value = Number(v);
      const atMs = Math.min(rMs, Math.max(rMs - plan.intervalMs + 1, Math.round(Math.abs(value) * 1000)));
      if (atMs <= grid.fromMs || atMs > plan.coveredToMs) continue; // before: in the base counts
      list.push({ series, atMs, change: value > 0 ? 1 : -1 });
    }
    byKey.set(key, list);
  }
  const out: Transition[] = [];
  for (const [key, list] of byKey) {
    list.sort((a, b) => a.atMs - b.atMs);
    let count = base.get(key) ?? 0;
    const present = new Map<number, boolean>();
    let shown = initial.has(key);
    for (let i = 0; i < list.length;) {
      const g = gridCeil(grid, list[i].atMs);
      for (; i < list.length && gridCeil(grid, list[i].atMs) === g; i++) {
        const c = list[i];
        const was = present.get(c.series) ?? c.change < 0;
        if (c.change > 0 && !was) count++;
        if (c.change < 0 && was) count = Math.max(0, count - 1);
        present.set(c.series, c.change > 0);
      }
      const now = count > 0;
      if (g > grid.fromMs && now !== shown) {
        out.push({ key, atMs: g, change: now ? 1 : -1 });
        shown = now;
      }
    }
  }
  return out;
}

/** The grid instants after the plan's coverage (their state is asked of the raw series). */
export function tailInstants(grid: Grid, plan: ChangesPlan): number[] {
  const out: number[] = [];
  const last = lastInstant(grid);
  let g = grid.fromMs + (Math.floor((plan.coveredToMs - grid.fromMs) / grid.stepMs) + 1) * grid.stepMs;
  for (; g <= last; g += grid.stepMs) out.push(g);
  return out;
}

/**
 * Transitions at the tail instants, from the exact state at each (`states[i]`: the objects present at
 * `instants[i]`) against the state the transitions so far give one step before.
 */
export function tailTransitions(
  instants: readonly number[],
  states: readonly ReadonlySet<string>[],
  before: (key: string) => boolean,
  keys: Iterable<string>,
): Transition[] {
  const out: Transition[] = [];
  for (const key of keys) {
    let shown = before(key);
    instants.forEach((g, i) => {
      const now = states[i].has(key);
      if (now !== shown) out.push({ key, atMs: g, change: now ? 1 : -1 });
      shown = now;
    });
  }
  return out;
}
