// Reads data frames into the panel's Graph: nodes/edges frames picked the way Grafana's Node Graph picks them
// (meta.preferredVisualisationType 'nodeGraph' or the names 'nodes'/'edges'), plus our timeline frame.
import type { DataFrame, Field } from '@grafana/data';
import {
  edgeId as makeEdgeId,
  FrameName,
  NodeGraphField,
  TimelineField,
  TimescopeField,
  type ChangeStatus,
  type TimelineMeta,
} from '@timescope/common';
import { rememberEdgeEnds } from './edgeEnds';
import type { Graph, GraphEdge, GraphNode, Interval, StatNames, Timeline } from './graph';

function field(frame: DataFrame, name: string): Field | undefined {
  return frame.fields.find((f) => f.name === name || f.config?.displayName === name);
}

const NONE: readonly unknown[] = [];

/**
 * A field's values, read by row in the loops below (an empty list for a missing field). The loops read plain
 * arrays with the small converters below rather than calling a helper with the field per cell: at 10,000 nodes and
 * 30,000 edges the frames hold 300,000 cells, and the first draw reads them before the page's code is optimised.
 */
function values(f: Field | undefined): readonly unknown[] {
  return (f?.values as readonly unknown[] | undefined) ?? NONE;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v);
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (v === null || v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function stat(v: unknown): number | string | undefined {
  return typeof v === 'number' || typeof v === 'string' ? v : undefined;
}

function status(v: unknown): ChangeStatus {
  return v === 'added' || v === 'removed' || v === 'unchanged' ? v : '';
}

function colour(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

/** The detail__* fields of a frame and their names, found once per frame (not once per row). */
function detailFields(frame: DataFrame): Array<[string, readonly unknown[]]> {
  return frame.fields
    .filter((f) => f.name.startsWith(NodeGraphField.detail))
    .map((f) => [f.config?.displayName || f.name.slice(NodeGraphField.detail.length), values(f)]);
}

/** The details of every row of a frame without detail fields: one shared (frozen) object, not one per row. */
const NO_DETAILS: Record<string, string> = Object.freeze({});

function details(fields: Array<[string, readonly unknown[]]>, i: number): Record<string, string> {
  if (!fields.length) return NO_DETAILS;
  const out: Record<string, string> = {};
  for (const [name, vs] of fields) {
    const v = str(vs[i]);
    if (v !== '') out[name] = v;
  }
  return out;
}

function isNodeGraph(frame: DataFrame): boolean {
  return frame.meta?.preferredVisualisationType === 'nodeGraph';
}

export function isEdgesFrame(frame: DataFrame): boolean {
  return (
    (frame.name === FrameName.Edges || isNodeGraph(frame)) &&
    !!field(frame, NodeGraphField.source) &&
    !!field(frame, NodeGraphField.target)
  );
}

export function isNodesFrame(frame: DataFrame): boolean {
  return (
    (frame.name === FrameName.Nodes || isNodeGraph(frame)) &&
    !!field(frame, NodeGraphField.id) &&
    !field(frame, NodeGraphField.source)
  );
}

export function isTimelineFrame(frame: DataFrame): boolean {
  return frame.name === FrameName.Timeline && !!field(frame, TimelineField.start) && !!field(frame, TimelineField.end);
}

function readNodes(frame: DataFrame, into: GraphNode[], seen: Map<string, number>): void {
  const f = (n: string) => values(field(frame, n));
  const id = f(NodeGraphField.id);
  const title = f(NodeGraphField.title);
  const subtitle = f(NodeGraphField.subtitle);
  const kind = f(TimescopeField.kind);
  const parent = f(TimescopeField.parent);
  const st = f(TimescopeField.status);
  const first = f(TimescopeField.firstSeen);
  const last = f(TimescopeField.lastSeen);
  const main = f(NodeGraphField.mainStat);
  const second = f(NodeGraphField.secondaryStat);
  const color = f(NodeGraphField.color);
  const detail = detailFields(frame);
  for (let i = 0; i < frame.length; i++) {
    const nodeId = str(id[i]);
    if (!nodeId || seen.has(nodeId)) continue;
    seen.set(nodeId, into.length);
    into.push({
      id: nodeId,
      title: str(title[i]) || nodeId,
      subtitle: str(subtitle[i]),
      kind: str(kind[i]),
      parent: str(parent[i]),
      status: status(st[i]),
      firstSeen: num(first[i]),
      lastSeen: num(last[i]),
      mainStat: stat(main[i]),
      secondaryStat: stat(second[i]),
      color: colour(color[i]),
      details: details(detail, i),
    });
  }
}

function readEdges(frame: DataFrame, into: GraphEdge[], seen: Set<string>): void {
  const f = (n: string) => values(field(frame, n));
  const id = f(NodeGraphField.id);
  const source = f(NodeGraphField.source);
  const target = f(NodeGraphField.target);
  const kind = f(TimescopeField.kind);
  const st = f(TimescopeField.status);
  const first = f(TimescopeField.firstSeen);
  const last = f(TimescopeField.lastSeen);
  const main = f(NodeGraphField.mainStat);
  const thickness = f(NodeGraphField.thickness);
  const color = f(NodeGraphField.color);
  const detail = detailFields(frame);
  for (let i = 0; i < frame.length; i++) {
    const s = str(source[i]);
    const t = str(target[i]);
    if (!s || !t) continue;
    const edgeId = str(id[i]) || makeEdgeId(s, t);
    if (seen.has(edgeId)) continue;
    seen.add(edgeId);
    into.push({
      id: edgeId,
      source: s,
      target: t,
      kind: str(kind[i]),
      status: status(st[i]),
      firstSeen: num(first[i]),
      lastSeen: num(last[i]),
      mainStat: stat(main[i]),
      thickness: num(thickness[i]),
      color: colour(color[i]),
      details: details(detail, i),
    });
  }
}

function readTimeline(frame: DataFrame, fallback: TimelineMeta): Timeline {
  const custom = (frame.meta?.custom ?? {}) as Partial<TimelineMeta>;
  const meta: TimelineMeta = {
    stepMs: custom.stepMs && custom.stepMs > 0 ? custom.stepMs : fallback.stepMs,
    fromMs: custom.fromMs ?? fallback.fromMs,
    toMs: custom.toMs ?? fallback.toMs,
  };
  const nodes = new Map<string, Interval[]>();
  const edges = new Map<string, Interval[]>();
  const f = (n: string) => values(field(frame, n));
  const id = f(TimelineField.id);
  const entity = f(TimelineField.entity);
  const start = f(TimelineField.start);
  const end = f(TimelineField.end);
  for (let i = 0; i < frame.length; i++) {
    const key = str(id[i]);
    const s = num(start[i]);
    const e = num(end[i]);
    if (!key || s === undefined || e === undefined) continue;
    const map = entity[i] === 'edge' ? edges : nodes;
    const list = map.get(key);
    if (list) list.push({ start: s, end: e });
    else map.set(key, [{ start: s, end: e }]);
  }
  for (const map of [nodes, edges]) {
    for (const list of map.values()) if (list.length > 1) list.sort((x, y) => x.start - y.start);
  }
  return { meta, nodes, edges };
}

/** The first row of each of these ids in the timeline frame. */
function firstRows(frame: DataFrame, ids: ReadonlySet<string>): Map<string, number> {
  const id = values(field(frame, TimelineField.id));
  const rows = new Map<string, number>();
  for (let i = 0; i < frame.length && rows.size < ids.size; i++) {
    const key = str(id[i]);
    if (ids.has(key) && !rows.has(key)) rows.set(key, i);
  }
  return rows;
}

/**
 * Objects the timeline knows but the nodes and edges frames leave out (our datasource's instant mode lists only what
 * is present at its instant): added from the attributes the timeline rows repeat, so the panel draws them at the
 * instants they were there and lays them out with everything else. The attributes are read from the first row of
 * those objects alone, not from every row (40,000 at 10,000 nodes), and only when there are some.
 */
function addTimelineObjects(
  frame: DataFrame,
  timeline: Timeline,
  nodes: GraphNode[],
  index: Map<string, number>,
  edges: GraphEdge[],
  edgeIds: Set<string>,
): void {
  const newNodes = [...timeline.nodes.keys()].filter((id) => !index.has(id));
  const newEdges = [...timeline.edges.keys()].filter((id) => !edgeIds.has(id));
  if (!newNodes.length && !newEdges.length) return;
  const rows = firstRows(frame, new Set([...newNodes, ...newEdges]));
  const f = (n: string) => values(field(frame, n));
  const [kind, title, parent, source, target] = [
    f(TimelineField.kind),
    f(TimelineField.title),
    f(TimelineField.parent),
    f(TimelineField.edgeSource),
    f(TimelineField.edgeTarget),
  ];
  for (const id of newNodes) {
    const row = rows.get(id) ?? -1;
    const k = str(kind[row]);
    index.set(id, nodes.length);
    nodes.push({
      id,
      title: str(title[row]) || id,
      subtitle: k,
      kind: k,
      parent: str(parent[row]),
      status: '',
      details: {},
    });
  }
  for (const id of newEdges) {
    const row = rows.get(id) ?? -1;
    const s = str(source[row]);
    const t = str(target[row]);
    if (!s || !t) continue;
    edgeIds.add(id);
    edges.push({ id, source: s, target: t, kind: str(kind[row]), status: '', details: {} });
  }
}

/** The node index of an edge end, making up a node for an id that is none (Grafana's Node Graph does the same). */
function endIndex(id: string, nodes: GraphNode[], index: Map<string, number>): number {
  let k = index.get(id);
  if (k === undefined) {
    k = nodes.length;
    index.set(id, k);
    nodes.push({ id, title: id, subtitle: '', kind: '', parent: '', status: '', details: {} });
  }
  return k;
}

/**
 * Builds the Graph from a panel's series. Edges whose ends are not nodes get a node made up for the missing end,
 * so an edges-only result still draws. The edge ends found on the way are kept (model/edgeEnds.ts) for everything
 * that reads edges by node index.
 */
export function graphFromFrames(series: DataFrame[], range?: { fromMs: number; toMs: number; stepMs: number }): Graph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const index = new Map<string, number>();
  const edgeIds = new Set<string>();
  let timeline: { frame: DataFrame; timeline: Timeline } | undefined;
  const fallback: TimelineMeta = {
    stepMs: range?.stepMs ?? 60_000,
    fromMs: range?.fromMs ?? 0,
    toMs: range?.toMs ?? 0,
  };
  const statNames: StatNames = {};
  const named = (frame: DataFrame, n: string) => field(frame, n)?.config?.displayName || undefined;
  for (const frame of series) {
    if (isTimelineFrame(frame)) timeline = { frame, timeline: readTimeline(frame, fallback) };
    else if (isEdgesFrame(frame)) {
      readEdges(frame, edges, edgeIds);
      statNames.edgeMain ??= named(frame, NodeGraphField.mainStat);
    } else if (isNodesFrame(frame)) {
      readNodes(frame, nodes, index);
      statNames.nodeMain ??= named(frame, NodeGraphField.mainStat);
      statNames.nodeSecondary ??= named(frame, NodeGraphField.secondaryStat);
    }
  }
  if (timeline) addTimelineObjects(timeline.frame, timeline.timeline, nodes, index, edges, edgeIds);
  const source = new Int32Array(edges.length);
  const target = new Int32Array(edges.length);
  for (let i = 0; i < edges.length; i++) {
    source[i] = endIndex(edges[i].source, nodes, index);
    target[i] = endIndex(edges[i].target, nodes, index);
  }
  const graph: Graph = { nodes, edges, index, timeline: timeline?.timeline, statNames };
  rememberEdgeEnds(graph, { source, target });
  return graph;
}
