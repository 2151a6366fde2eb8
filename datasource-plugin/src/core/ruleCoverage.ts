// Whether the presence rule (common/src/presenceRule.ts; docs/time-travel.md, "The presence rule") may be read
// instead of the raw series: it ran without a missed evaluation over the whole range, with this datasource's scrape
// interval, for a family of series it records. The instants it has not described yet (the last seconds of a live
// range) are asked of the raw series. Pure decisions: queryPlan.ts asks, presenceChanges.ts decodes the changes.
import { PRESENCE_RULE_METRICS, presenceRuleTiming, type RangeBounds } from '@timescope/common';
import type { PromVectorSample } from './promClient';
import { COVERAGE_STATS, coverageQuery, type Family } from './queryBuilder';
import { lastInstant, type Grid } from './timeline';

export interface RuleCoverage {
  /** first and last evaluation (ms) of an unbroken run of evaluations around the range */
  firstEvalMs: number;
  lastEvalMs: number;
  intervalMs: number;
  /** an evaluation at E describes the instant E - delay */
  delayMs: number;
}

export interface CoverageAsk {
  query: string;
  atSec: number;
  intervalMs: number;
  delayMs: number;
}

/** The coverage request for a grid (undefined: a scrape interval the rule cannot have, read the raw series). */
export function coverageAsk(
  grid: Grid,
  scrapeIntervalMs: number,
  bounds: RangeBounds = 'closed',
): CoverageAsk | undefined {
  if (!Number.isInteger(scrapeIntervalMs / 1000) || scrapeIntervalMs <= 0) return undefined;
  const t = presenceRuleTiming(scrapeIntervalMs / 1000, bounds);
  const intervalMs = t.intervalS * 1000;
  const delayMs = t.delayS * 1000;
  // up to the evaluation after the one describing the grid's last instant, so that a past range needs no tail
  const atMs = lastInstant(grid) + delayMs + intervalMs;
  const windowMs = atMs - (grid.fromMs - intervalMs);
  return { query: coverageQuery(intervalMs, windowMs, bounds), atSec: atMs / 1000, intervalMs, delayMs };
}

/**
 * Whether the rule describes the whole grid: evaluations from before its start to (nearly) its end, none missed
 * (evaluations are exactly one interval apart, so their count tells). Undefined: read the raw series instead.
 */
export function coverageOf(ask: CoverageAsk, rows: readonly PromVectorSample[]): RuleCoverage | undefined {
  const stat = new Map<string, number[]>();
  for (const r of rows) stat.set(r.metric.stat ?? '', [...(stat.get(r.metric.stat ?? '') ?? []), Number(r.value[1])]);
  const one = (fn: string): number | undefined => {
    const v = stat.get(fn);
    return v && v.length === 1 ? v[0] : undefined; // several evaluation series (HA rulers): not handled here
  };
  const [count, min, max] = COVERAGE_STATS.map(one);
  if (count === undefined || min === undefined || max === undefined) return undefined;
  const firstEvalMs = Math.round(min * 1000);
  const lastEvalMs = Math.round(max * 1000);
  if (Math.round((lastEvalMs - firstEvalMs) / ask.intervalMs) + 1 !== count) return undefined;
  return { firstEvalMs, lastEvalMs, intervalMs: ask.intervalMs, delayMs: ask.delayMs };
}

export interface ChangesPlan {
  /** the evaluations holding the changes after the grid's start: (evalFromMs, evalToMs] */
  evalFromMs: number;
  evalToMs: number;
  /** the last grid instant the changes describe; later instants are asked of the raw series */
  coveredToMs: number;
  delayMs: number;
  intervalMs: number;
  /** on a grid coarser than the lookback: how much later an object leaves the cells (queryPlan.ts's cellShiftMs) */
  cellShiftMs?: number;
}

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

/** The grid instants after the plan's coverage (their state is asked of the raw series). */
export function tailInstants(grid: Grid, plan: ChangesPlan): number[] {
  const out: number[] = [];
  const last = lastInstant(grid);
  let g = grid.fromMs + (Math.floor((plan.coveredToMs - grid.fromMs) / grid.stepMs) + 1) * grid.stepMs;
  for (; g <= last; g += grid.stepMs) out.push(g);
  return out;
}
