// L7 figures of edges, decoded from a source's figures range query: per edge, one value per grid step (null where
// the step has none). Only the edges drawn are kept, only at the query's step: the frame stays one row per edge.
import { edgeId } from '@timescope/common';
import type { PromMatrixSeries } from '../promClient';
import type { Grid } from '../timeline';
import { FIGURE_LABEL, type EdgeAdapter, type Figure } from './types';

export interface EdgeFigures {
  rate: (number | null)[];
  errorRatio: (number | null)[];
  p95: (number | null)[];
}

/** The number of grid instants (from, from + step, ..., to). */
export function gridLength(grid: Grid): number {
  return Math.floor((grid.toMs - grid.fromMs) / grid.stepMs) + 1;
}

interface Acc {
  rate: Float64Array;
  errors: Float64Array;
  p95: Float64Array;
  seen: Uint8Array;
}

function acc(n: number): Acc {
  return {
    rate: new Float64Array(n),
    errors: new Float64Array(n),
    p95: new Float64Array(n).fill(NaN),
    seen: new Uint8Array(n),
  };
}

/** Adds one series' values: rates sum, errors are weighted by rate, p95 keeps the worst. */
function addSeries(a: Acc, figure: Figure, s: PromMatrixSeries, grid: Grid, rateAt?: Float64Array): void {
  const n = a.seen.length;
  for (const [t, raw] of s.values) {
    const i = Math.round((t * 1000 - grid.fromMs) / grid.stepMs);
    const v = Number(raw);
    if (i < 0 || i >= n || !Number.isFinite(v)) continue;
    if (figure === 'rate') {
      a.rate[i] += v;
      a.seen[i] = 1;
    } else if (figure === 'errorRatio') a.errors[i] += v * (rateAt?.[i] ?? 0);
    else a.p95[i] = Number.isNaN(a.p95[i]) ? v : Math.max(a.p95[i], v);
  }
}

function finish(a: Acc): EdgeFigures {
  const n = a.seen.length;
  const out: EdgeFigures = { rate: new Array(n), errorRatio: new Array(n), p95: new Array(n) };
  for (let i = 0; i < n; i++) {
    const seen = a.seen[i] === 1;
    out.rate[i] = seen ? a.rate[i] : null;
    out.errorRatio[i] = seen && a.rate[i] > 0 ? a.errors[i] / a.rate[i] : null;
    out.p95[i] = Number.isNaN(a.p95[i]) ? null : a.p95[i];
  }
  return out;
}

interface PerEdge {
  acc: Acc;
  ratio: PromMatrixSeries[];
  rateOfKey: Map<string, Float64Array>;
}

/**
 * The figures of each edge (by edge id) from one source's rows; series naming no edge, or an edge not in `keep`,
 * are skipped. Series of one edge (several label sets, or several sources) are combined.
 */
export function decodeFigures(
  rows: readonly PromMatrixSeries[],
  adapter: EdgeAdapter,
  grid: Grid,
  keep: ReadonlySet<string>,
  into: Map<string, EdgeFigures> = new Map(),
): Map<string, EdgeFigures> {
  const n = gridLength(grid);
  const byEdge = new Map<string, PerEdge>();
  const keyOf = (m: Record<string, string>): string =>
    Object.entries(m)
      .filter(([k]) => k !== FIGURE_LABEL)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}=${v}`)
      .join('\u0000');
  for (const s of rows) {
    const ends = adapter.toEdge(s.metric);
    if (!ends) continue;
    const id = edgeId(ends.source, ends.target);
    if (!keep.has(id)) continue;
    const e: PerEdge = byEdge.get(id) ?? { acc: acc(n), ratio: [], rateOfKey: new Map() };
    byEdge.set(id, e);
    const figure = s.metric[FIGURE_LABEL] as Figure | undefined;
    if (figure === 'rate') {
      addSeries(e.acc, 'rate', s, grid);
      const own = acc(n);
      addSeries(own, 'rate', s, grid);
      e.rateOfKey.set(keyOf(s.metric), own.rate);
    } else if (figure === 'errorRatio') e.ratio.push(s);
    else if (figure === 'p95') addSeries(e.acc, 'p95', s, grid);
  }
  // each ratio weighted by the rate of its own label set, once all rates are in
  for (const [id, e] of byEdge) {
    for (const s of e.ratio) addSeries(e.acc, 'errorRatio', s, grid, e.rateOfKey.get(keyOf(s.metric)));
    const prev = into.get(id);
    into.set(id, prev ? combine(prev, finish(e.acc)) : finish(e.acc));
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
