// The frame contract between the datasource (which builds frames) and the panel (which draws them).
// Nodes and edges frames follow Grafana's Node Graph contract (NodeGraphDataFrameFieldNames), so Grafana's
// built-in Node Graph panel draws them as they are; the extra fields below are ours.

export const FrameName = {
  Nodes: 'nodes',
  Edges: 'edges',
  Timeline: 'timeline',
  /** L7 figures of edges over the range (FigureField) */
  Figures: 'figures',
} as const;

/** Node Graph field names (same strings as @grafana/data's NodeGraphDataFrameFieldNames). */
export const NodeGraphField = {
  id: 'id',
  title: 'title',
  subtitle: 'subtitle',
  mainStat: 'mainstat',
  secondaryStat: 'secondarystat',
  source: 'source',
  target: 'target',
  detail: 'detail__',
  arc: 'arc__',
  color: 'color',
  thickness: 'thickness',
  strokeDasharray: 'strokedasharray',
  /** node positions: Node Graph uses them instead of its own layout when every node has finite values */
  fixedX: 'fixedX',
  fixedY: 'fixedY',
} as const;

/** Our extra fields, on both nodes and edges frames unless noted. */
export const TimescopeField = {
  /** node kind (host, process, ...) or, on edges, the edge kind */
  kind: 'kind',
  /** nodes only: id of the enclosing node, '' for none */
  parent: 'parent',
  /** added | removed | unchanged: against the start of the range (diff mode) or '' */
  status: 'status',
  /** first and last instant (ms since epoch) the object was present in the range */
  firstSeen: 'firstSeen',
  lastSeen: 'lastSeen',
  /** nodes only: the group the query asked for (`namespace:<ns>` or `host:<hostname>`), '' when not grouped */
  group: 'group',
} as const;

export type ChangeStatus = 'added' | 'removed' | 'unchanged' | '';

/**
 * Timeline frame: one row per presence interval of a node or edge over the queried range, sampled at the query
 * step, so the panel can move the instant anywhere in the range without a new request.
 * Fields: id (node or edge id), entity ('node' | 'edge'), start (ms), end (ms, inclusive: last step present).
 * Every row also repeats its object's attributes, so that the graph at any instant can be drawn from this frame
 * alone (nodes absent at the query's instant are not in the nodes frame): kind, title, parent, group (nodes;
 * '' on edges) and edgeSource, edgeTarget (edges; '' on nodes). Not `source`/`target`: Grafana's Node Graph files
 * any frame with a `source` field as an edges frame.
 * Frame meta.custom: { stepMs, fromMs, toMs }.
 */
export const TimelineField = {
  id: 'id',
  entity: 'entity',
  start: 'start',
  end: 'end',
  kind: 'kind',
  title: 'title',
  parent: 'parent',
  group: 'group',
  edgeSource: 'edgeSource',
  edgeTarget: 'edgeTarget',
} as const;

export interface TimelineMeta {
  stepMs: number;
  fromMs: number;
  toMs: number;
  /** the query's mode and the instant the nodes and edges frames show (instant mode: the instant; else the end) */
  mode?: 'instant' | 'range' | 'diff';
  instantMs?: number;
}

/**
 * Figures frame: one row per edge that has L7 figures (and is in the edges frame), each figure an array with one
 * value per step of the figures' grid (`fromMs + i * stepMs`, null where the step has none; each value over the step
 * before it), so the panel's instant moves them without a new request and the frame grows with edges, not with
 * edges x steps. The grid is the query's step or coarser (datasource-plugin/src/core/adapters/figureGrid.ts).
 * Frame meta.custom: FiguresMeta.
 */
export const FigureField = {
  id: 'id',
  /** requests per second over the step */
  rate: 'rate',
  /** failed / all requests over the step, 0..1 */
  errorRatio: 'errorRatio',
  /** 95th percentile of the server latency over the step, seconds */
  p95: 'p95',
} as const;

export type FigureName = 'rate' | 'errorRatio' | 'p95';

export interface FiguresMeta {
  fromMs: number;
  stepMs: number;
  /** values per row */
  steps: number;
}

/** Edge detail field listing the edge sources that saw an edge (comma-separated). */
export const EDGE_SOURCES_DETAIL = 'detail__sources';
