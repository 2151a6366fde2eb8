// L7 figures of edges, decoded from a source's three figures range queries (rate, failed rate, p95): per edge, one
// value per step of the figures' grid (null where the step has none), the error ratio worked out as failed / rate.
// Only the edges drawn are kept: the frame stays one row per edge.
import { edgeId } from '@timescope/common';
import type { Grid } from '../timeline';
import type { EdgeAdapter, FigurePart } from './types';

export interface EdgeFigures {
  rate: (number | null)[];
  errorRatio: (number | null)[];
  p95: (number | null)[];
}

/** The number of grid instants (from, from + step, ..., to). */
export function gridLength(grid: Grid): number {
  return Math.floor((grid.toMs - grid.fromMs) / grid.stepMs) + 1;
}

/** A row of figures: a range query's, or one worked out in the datasource (adapters/sampleRates.ts, numbers). */
export interface FigureSeries {
  metric: Record<string, string>;
  values: readonly (readonly [number, string | number])[];
}

/** A figure query's rows, by the part they answer. */
export type FigureRows = Readonly<Record<FigurePart, readonly FigureSeries[]>>;

interface Acc {
  rate: Float64Array;
  failed: Float64Array;
  p95: Float64Array;
  seen: Uint8Array;
}

function acc(n: number): Acc {
  return {
    rate: new Float64Array(n),
    failed: new Float64Array(n),
    p95: new Float64Array(n).fill(NaN),
    seen: new Uint8Array(n),
  };
}

/** A series' values at their grid indices (NaN where it has none, or none finite). */
function valuesOf(s: FigureSeries, grid: Grid, n: number): Float64Array {
  const out = new Float64Array(n).fill(NaN);
  for (const [t, raw] of s.values) {
    const i = Math.round((t * 1000 - grid.fromMs) / grid.stepMs);
    if (i >= 0 && i < n) out[i] = Number(raw);
  }
  return out;
}

function finish(a: Acc): EdgeFigures {
  const n = a.seen.length;
  const out: EdgeFigures = { rate: new Array(n), errorRatio: new Array(n), p95: new Array(n) };
  for (let i = 0; i < n; i++) {
    const seen = a.seen[i] === 1;
    out.rate[i] = seen ? a.rate[i] : null;
    // no failed series at a step with requests: no errors (0)
    out.errorRatio[i] = seen && a.rate[i] > 0 ? a.failed[i] / a.rate[i] : null;
    out.p95[i] = Number.isNaN(a.p95[i]) ? null : a.p95[i];
  }
  return out;
}

/** The labels of a row, as one string (a failed row meets the rate row of the same label set). */
function keyOf(m: Record<string, string>): string {
  return Object.keys(m)
    .sort()
    .map((k) => `${k}=${m[k]}`)
    .join('\u0000');
}

/**
 * The figures of each edge (by edge id) from one source's rows; series naming no edge, or an edge not in `keep`,
 * are skipped. Series of one edge (several label sets, or several sources) are combined: rates sum, a failed rate
 * counts where its own label set has a rate, p95 keeps the worst.
 */
export function decodeFigures(
  rows: FigureRows,
  adapter: EdgeAdapter,
  grid: Grid,
  keep: ReadonlySet<string>,
  into: Map<string, EdgeFigures> = new Map(),
): Map<string, EdgeFigures> {
  const n = gridLength(grid);
  const byEdge = new Map<string, Acc>();
  /** each label set's edge (undefined: none kept) and the steps it has a rate at */
  const sets = new Map<string, { id: string | undefined; rates?: Float64Array }>();
  const setOf = (m: Record<string, string>) => {
    const key = keyOf(m);
    let set = sets.get(key);
    if (!set) {
      const ends = adapter.toEdge(m);
      const id = ends && edgeId(ends.source, ends.target);
      set = { id: id !== undefined && keep.has(id) ? id : undefined };
      sets.set(key, set);
    }
    return set;
  };
  const accOf = (id: string): Acc => {
    const a = byEdge.get(id) ?? acc(n);
    byEdge.set(id, a);
    return a;
  };
  for (const s of rows.rate) {
    const set = setOf(s.metric);
    if (!set.id) continue;
    const a = accOf(set.id);
    const v = valuesOf(s, grid, n);
    set.rates = v;
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(v[i])) continue;
      a.rate[i] += v[i];
      a.seen[i] = 1;
    }
  }
  for (const s of rows.failed) {
    const set = setOf(s.metric);
    const rates = set.rates;
    if (!set.id || !rates) continue;
    const a = accOf(set.id);
    const v = valuesOf(s, grid, n);
    for (let i = 0; i < n; i++) if (Number.isFinite(v[i]) && Number.isFinite(rates[i])) a.failed[i] += v[i];
  }
  for (const s of rows.p95) {
    const set = setOf(s.metric);
    if (!set.id) continue;
    const a = accOf(set.id);
    const v = valuesOf(s, grid, n);
    for (let i = 0; i < n; i++) {
      if (Number.isFinite(v[i])) a.p95[i] = Number.isNaN(a.p95[i]) ? v[i] : Math.max(a.p95[i], v[i]);
    }
  }
  for (const [id, a] of byEdge) {
    const prev = into.get(id);
    into.set(id, prev ? combine(prev, finish(a)) : finish(a));
  }
  return into;
}

/** Two sources' figures of one edge: rates sum, errors weighted, p95 the worst. */
function combine(a: EdgeFigures, b: EdgeFigures): EdgeFigures {
  const n = a.rate.length;
  const out: EdgeFigures = { rate: new Array(n), errorRatio: new Array(n), p95: new Array(n) };
  for (let i = 0; i < n; i++) {
    const ra = a.rate[i];
    const rb = b.rate[i];
    out.rate[i] = ra === null && rb === null ? null : (ra ?? 0) + (rb ?? 0);
    const total = out.rate[i] ?? 0;
    const errs = (a.errorRatio[i] ?? 0) * (ra ?? 0) + (b.errorRatio[i] ?? 0) * (rb ?? 0);
    out.errorRatio[i] = total > 0 ? errs / total : null;
    const pa = a.p95[i];
    const pb = b.p95[i];
    out.p95[i] = pa === null ? pb : pb === null ? pa : Math.max(pa, pb);
  }
  return out;
}

/** The grid index of an instant: the last step at or before it, within the grid. */
export function stepIndex(grid: Grid, atMs: number): number {
  const i = Math.floor((atMs - grid.fromMs) / grid.stepMs);
  return Math.max(0, Math.min(gridLength(grid) - 1, i));
}
