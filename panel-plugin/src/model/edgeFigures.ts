// The datasource's figures frame (common/src/frames.ts): L7 figures of edges, one value per step of the query, so
// the edge labels and colours follow the panel's instant without a new request.
import type { DataFrame } from '@grafana/data';
import { FigureField, FrameName, type FigureName, type FiguresMeta } from '@timescope/common';

export type EdgeFigureOption = 'none' | FigureName;

export interface EdgeFigures {
  meta: FiguresMeta;
  /** per edge id, per figure, one value per step (null: none at that step) */
  byEdge: Map<string, Record<FigureName, readonly (number | null)[]>>;
}

const NAMES: readonly FigureName[] = ['rate', 'errorRatio', 'p95'];

function isMeta(m: unknown): m is FiguresMeta {
  const x = m as Partial<FiguresMeta> | undefined;
  return typeof x?.fromMs === 'number' && typeof x.stepMs === 'number' && x.stepMs > 0;
}

const values = (v: unknown): readonly (number | null)[] =>
  Array.isArray(v) ? v.map((x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : null)) : [];

/** The figures frame of a query result, if any. */
export function edgeFiguresOf(series: readonly DataFrame[]): EdgeFigures | undefined {
  const frame = series.find((f) => f.name === FrameName.Figures);
  const meta: unknown = frame?.meta?.custom;
  if (!frame || !isMeta(meta)) return undefined;
  const col = (name: string): readonly unknown[] => frame.fields.find((f) => f.name === name)?.values ?? [];
  const ids = col(FigureField.id);
  const byEdge: EdgeFigures['byEdge'] = new Map();
  ids.forEach((id, i) => {
    const row = Object.fromEntries(NAMES.map((n) => [n, values(col(FigureField[n])[i])])) as Record<
      FigureName,
      readonly (number | null)[]
    >;
    byEdge.set(String(id), row);
  });
  return { meta, byEdge };
}

/** A figure of an edge at an instant: the last step at or before it (undefined: none). */
export function figureAt(f: EdgeFigures, edgeId: string, name: FigureName, atMs: number): number | undefined {
  const list = f.byEdge.get(edgeId)?.[name];
  if (!list || list.length === 0) return undefined;
  const i = Math.floor((atMs - f.meta.fromMs) / f.meta.stepMs);
  if (i < 0 || i >= list.length) return undefined;
  return list[i] ?? undefined;
}

/** The text of a figure on an edge: `12.3 req/s`, `4.5%`, `230 ms`. */
export function figureText(name: FigureName, v: number): string {
  if (name === 'rate') return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} req/s`;
  if (name === 'errorRatio') return `${(100 * v).toFixed(v < 0.1 ? 1 : 0)}%`;
  return v >= 1 ? `${v.toFixed(2)} s` : `${(1000 * v).toFixed(0)} ms`;
}

export const ERROR_COLOR = '#F2495C';

/** The colour an edge takes from its error ratio at the instant: red at or above the threshold. */
export function errorColor(
  f: EdgeFigures | undefined,
  edgeId: string,
  atMs: number,
  threshold: number,
): string | undefined {
  if (!f) return undefined;
  const r = figureAt(f, edgeId, 'errorRatio', atMs);
  return r !== undefined && r >= threshold ? ERROR_COLOR : undefined;
}

/** Each edge's label at the instant for the figure chosen ('' where it has none), or undefined for no labels. */
export function edgeLabelsAt(
  f: EdgeFigures | undefined,
  edgeIds: readonly string[],
  figure: EdgeFigureOption,
  atMs: number,
): string[] | undefined {
  if (!f || figure === 'none') return undefined;
  return edgeIds.map((id) => {
    const v = figureAt(f, id, figure, atMs);
    return v === undefined ? '' : figureText(figure, v);
  });
}

/** The edges' colours and labels at the instant, as the scene takes them (nothing without figures). */
export function edgeFigureStyles(
  graph: { edges: readonly { id: string }[] },
  f: EdgeFigures | undefined,
  atMs: number,
  figure: EdgeFigureOption,
  threshold: number,
): { edgeColors?: (string | undefined)[]; edgeLabels?: string[] } {
  if (!f) return {};
  const ids = graph.edges.map((e) => e.id);
  const labels = edgeLabelsAt(f, ids, figure, atMs);
  return {
    edgeColors: ids.map((id) => errorColor(f, id, atMs, threshold)),
    ...(labels ? { edgeLabels: labels } : {}),
  };
}
