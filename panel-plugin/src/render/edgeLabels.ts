// Edge labels: the text an edge carries (its chosen metric) and which edges get one, thinned by zoom. The text is a
// small function of the edge index so that other figures (request rate and errors from an edge source) can feed it.
import type { Graph } from '../model/graph';
import { byDescendingScore } from '../model/rank';
import type { EdgeLabelFn, EdgeMetric } from './types';

/** Below this zoom no edge label is drawn: the edges are too short to carry text. */
export const EDGE_LABEL_MIN_SCALE = 0.6;
/** At most this many edge labels at once, the heaviest edges first. */
export const EDGE_LABEL_BUDGET = 120;

function formatStat(v: number | string): string {
  if (typeof v === 'string') return v;
  if (!Number.isFinite(v)) return '';
  if (Math.abs(v) >= 1e6) return `${(v / 1e6).toFixed(1)}M`;
  if (Math.abs(v) >= 1e4) return `${(v / 1e3).toFixed(1)}k`;
  return Number.isInteger(v) ? String(v) : v.toFixed(2).replace(/\.?0+$/, '');
}

/** The default labels: the edge's main stat (the datasource's connections) when the metric is shown. */
export function statEdgeLabel(graph: Graph, metric: EdgeMetric): EdgeLabelFn {
  if (metric === 'none') return () => undefined;
  return (i) => {
    const e = graph.edges[i];
    const v = metric === 'thickness' ? e?.thickness : e?.mainStat;
    if (v === undefined || v === '') return undefined;
    return formatStat(v) || undefined;
  };
}

/** Edge indices, heaviest main stat first (ties in graph order): the order edge labels take the space in. */
export function edgeLabelOrder(graph: Graph): Int32Array {
  return byDescendingScore(Float64Array.from(graph.edges, (e) => (typeof e.mainStat === 'number' ? e.mainStat : 0)));
}

/** Edge labels are drawn from this zoom on, and only on edges long enough on screen to hold the text. */
export function edgeLabelsAt(scale: number): boolean {
  return scale >= EDGE_LABEL_MIN_SCALE;
}
