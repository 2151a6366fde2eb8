// Presence intervals on the query's step grid. A range query is evaluated at from, from+step, ... <= to; an
// interval [start, end] means "present at every grid instant from start to end" (end inclusive). On a grid coarser
// than two scrapes each instant after the start stands for its cell, what was present during the step up to it
// (queryPlan.ts's cellTimingFor; docs/time-travel.md, "Grid cells").

export type Interval = readonly [start: number, end: number];

export interface Grid {
  fromMs: number;
  toMs: number;
  stepMs: number;
}

/** The last grid instant (<= toMs). */
export function lastInstant(g: Grid): number {
  return g.fromMs + Math.floor((g.toMs - g.fromMs) / g.stepMs) * g.stepMs;
}

export interface Transition {
  key: string;
  atMs: number;
  /** +1: present at atMs but not one step before; -1: present one step before but not at atMs */
  change: 1 | -1;
}

/**
 * Rebuilds each key's intervals from its state at the first grid instant and the transitions after it.
 * Transitions at or before `fromMs` are ignored (the initial state already says it); a +1 for a key already present
 * or a -1 for a key already absent is ignored too, so a slightly inconsistent answer cannot produce overlaps.
 */
export function reconstruct(
  g: Grid,
  initial: Iterable<string>,
  transitions: readonly Transition[],
): Map<string, Interval[]> {
  const open = new Map<string, number>();
  const out = new Map<string, Interval[]>();
  for (const k of initial) open.set(k, g.fromMs);
  const sorted = transitions.filter((t) => t.atMs > g.fromMs && t.atMs <= g.toMs).sort((a, b) => a.atMs - b.atMs);
  const close = (key: string, endMs: number): void => {
    const start = open.get(key);
    if (start === undefined) return;
    open.delete(key);
    const list = out.get(key) ?? [];
    list.push([start, endMs]);
    out.set(key, list);
  };
  for (const t of sorted) {
    if (t.change === 1 && !open.has(t.key)) open.set(t.key, t.atMs);
    else if (t.change === -1) close(t.key, t.atMs - g.stepMs);
  }
  const last = lastInstant(g);
  for (const key of [...open.keys()]) close(key, last);
  return out;
}

/** True if some interval holds the grid instant at or before `tMs`. */
export function presentAt(intervals: readonly Interval[], tMs: number, stepMs: number): boolean {
  return intervals.some(([s, e]) => tMs >= s && tMs < e + stepMs);
}

/** Sorted, merged union (intervals that touch on the grid are joined). */
export function union(a: readonly Interval[], b: readonly Interval[], stepMs: number): Interval[] {
  const all = [...a, ...b].sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [s, e] of all) {
    const last = out[out.length - 1];
    if (last && s <= last[1] + stepMs) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** Sorted intersection of two interval lists. */
export function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const x = [...a].sort((p, q) => p[0] - q[0]);
  const y = [...b].sort((p, q) => p[0] - q[0]);
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const s = Math.max(x[i][0], y[j][0]);
    const e = Math.min(x[i][1], y[j][1]);
    if (s <= e) out.push([s, e]);
    if (x[i][1] < y[j][1]) i++;
    else j++;
  }
  return out;
}

/** First and last present instant, or undefined for no intervals. */
export function span(intervals: readonly Interval[]): Interval | undefined {
  if (intervals.length === 0) return undefined;
  let s = Infinity;
  let e = -Infinity;
  for (const [a, b] of intervals) {
    s = Math.min(s, a);
    e = Math.max(e, b);
  }
  return [s, e];
}

/**
 * The range's end when it is not a grid instant: an object present there (on a coarse grid: in the end's own cell,
 * from the last grid instant on) but not at the last grid instant gets the interval [toMs, toMs], so the timeline
 * has a row for every object the graph shows at the end, and for every object range mode returns.
 */
export function withEnd(g: Grid, intervals: readonly Interval[], presentAtEnd: boolean): Interval[] {
  const last = lastInstant(g);
  if (!presentAtEnd || g.toMs === last || presentAt(intervals, last, g.stepMs)) return [...intervals];
  return [...intervals, [g.toMs, g.toMs]];
}
