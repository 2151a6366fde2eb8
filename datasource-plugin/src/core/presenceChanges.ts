// The fast timeline's decoding: the presence rule's changes (common/src/presenceRule.ts; docs/time-travel.md, "The
// presence rule") turned into each object's transitions on the grid, instead of evaluating every series at every
// step. ruleCoverage.ts decides where this gives the same answer as the raw series; the instants after the rule's
// last evaluation come from the raw states at those instants (tailTransitions).
import type { PromMatrixSeries } from './promClient';
import { AT_LABEL, BASE_AT } from './queryBuilder';
import type { ChangesPlan } from './ruleCoverage';
import { presentAt, reconstruct, type Grid, type Transition } from './timeline';

/** The series present at the grid's start per object: the base counts, 1 for the other objects present there. */
export function baseCounts(
  rows: readonly { metric: Record<string, string>; value: [number, string] }[],
  key: (l: Record<string, string>) => string,
  initial: ReadonlySet<string>,
): Map<string, number> {
  const out = new Map<string, number>([...initial].map((k) => [k, 1]));
  for (const r of rows) if (r.metric[AT_LABEL] === BASE_AT) out.set(key(r.metric), Number(r.value[1]));
  return out;
}

/** The first grid instant at or after `ms` (the grid's start for earlier instants). */
function gridCeil(grid: Grid, ms: number): number {
  if (ms <= grid.fromMs) return grid.fromMs;
  return grid.fromMs + Math.ceil((ms - grid.fromMs) / grid.stepMs) * grid.stepMs;
}

/**
 * One series' changes on a grid of cells: it leaves the cells `shiftMs` after it leaves the instants (queryPlan.ts's
 * cellShiftMs), so a disappearance lands that much later, and a return no later than that cancels both (the series
 * never left the cells). Sorted by instant.
 */
function onCells(own: readonly Change[], shiftMs: number): Change[] {
  const sorted = [...own].sort((a, b) => a.atMs - b.atMs);
  if (shiftMs === 0) return sorted;
  const out: Change[] = [];
  for (const c of sorted) {
    const prev = out[out.length - 1];
    if (c.change > 0 && prev && prev.change < 0 && c.atMs <= prev.atMs) {
      out.pop();
      continue;
    }
    out.push(c.change < 0 ? { ...c, atMs: c.atMs + shiftMs } : c);
  }
  return out;
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
    const own: Change[] = [];
    for (const [t, v] of s.values) {
      // the evaluation at E compared the instants E - delay and one interval before: the change lies between them
      const rMs = Math.round(Number(t) * 1000) - plan.delayMs;
      const value = Number(v);
      // a NaN (a store's staleness marker read back) tells nothing: skipped, it would never leave its grid cell
      if (!Number.isFinite(value) || !Number.isFinite(rMs)) continue;
      const atMs = Math.min(rMs, Math.max(rMs - plan.intervalMs + 1, Math.round(Math.abs(value) * 1000)));
      if (atMs > grid.fromMs) own.push({ series, atMs, change: value > 0 ? 1 : -1 }); // before: in the base counts
    }
    const list = byKey.get(key) ?? [];
    for (const c of onCells(own, plan.cellShiftMs ?? 0)) if (c.atMs <= plan.coveredToMs) list.push(c);
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

/** What the fast path of one family was answered: its states (with the base counts), changes and tail states. */
export interface RuleAnswers {
  states: readonly { metric: Record<string, string>; value: [number, string] }[];
  changes: readonly PromMatrixSeries[];
  /** the objects present at each tail instant */
  tailStates: readonly ReadonlySet<string>[];
}

/**
 * The transitions the fast path gives: the rule's changes over what it covers, then the tail's states (`keys`:
 * every object known). `initial`: the objects present at the grid's start. No plan: no changes, only the tail.
 */
export function ruleTransitions(
  grid: Grid,
  plan: ChangesPlan | undefined,
  tail: readonly number[],
  keyOf: (labels: Record<string, string>) => string,
  initial: ReadonlySet<string>,
  a: RuleAnswers,
  keys: Iterable<string>,
): Transition[] {
  const list: Transition[] = [];
  if (plan) {
    const base = baseCounts(a.states, keyOf, initial);
    list.push(...changesToTransitions(grid, plan, keyOf, base, a.changes, initial));
  }
  if (tail.length > 0) {
    const known = reconstruct(grid, initial, list);
    const before = (k: string): boolean => presentAt(known.get(k) ?? [], tail[0] - grid.stepMs, grid.stepMs);
    list.push(...tailTransitions(tail, a.tailStates, before, keys));
  }
  return list;
}
