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
import type { Graph, GraphEdge, GraphNode, Interval, StatNames, Timeline } from './graph';

function field(frame: DataFrame, name: string): Field | undefined {
  return frame.fields.find((f) => f.name === name || f.config?.displayName === name);
}

function str(f: Field | undefined, i: number): string {
  const v: unknown = f?.values[i];
  return v === null || v === undefined ? '' : String(v);
}

function num(f: Field | undefined, i: number): number | undefined {
  const v: unknown = f?.values[i];
  if (v === null || v === undefined || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function stat(f: Field | undefined, i: number): number | string | undefined {
  const v: unknown = f?.values[i];
  if (typeof v === 'number' || typeof v === 'string') return v;
  return undefined;
}

function status(f: Field | undefined, i: number): ChangeStatus {
  const s = str(f, i);
  return s === 'added' || s === 'removed' || s === 'unchanged' ? s : '';
}

/** The detail__* fields of a frame and their names, found once per frame (not once per row). */
function detailFields(frame: DataFrame): Array<[string, Field]> {
  return frame.fields
    .filter((f) => f.name.startsWith(NodeGraphField.detail))
    .map((f) => [f.config?.displayName || f.name.slice(NodeGraphField.detail.length), f]);
}

function details(fields: Array<[string, Field]>, i: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, f] of fields) {
    const v = str(f, i);
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
  const f = (n: string) => field(frame, n);
  const [id, title, subtitle, kind, parent, st, first, last, main, second, color] = [
    f(NodeGraphField.id),
    f(NodeGraphField.title),
    f(NodeGraphField.subtitle),
    f(TimescopeField.kind),
    f(TimescopeField.parent),
    f(TimescopeField.status),
    f(TimescopeField.firstSeen),
    f(TimescopeField.lastSeen),
    f(NodeGraphField.mainStat),
    f(NodeGraphField.secondaryStat),
    f(NodeGraphField.color),
  ];
  const detail = detailFields(frame);
  for (let i = 0; i < frame.length; i++) {
    const nodeId = str(id, i);
    if (!nodeId || seen.has(nodeId)) continue;
    const c = color?.values[i];
    seen.set(nodeId, into.length);
    into.push({
      id: nodeId,
      title: str(title, i) || nodeId,
      subtitle: str(subtitle, i),
      kind: str(kind, i),
      parent: str(parent, i),
      status: status(st, i),
      firstSeen: num(first, i),
      lastSeen: num(last, i),
      mainStat: stat(main, i),
      secondaryStat: stat(second, i),
      color: typeof c === 'string' && c ? c : undefined,
      details: details(detail, i),
    });
  }
}

function readEdges(frame: DataFrame, into: GraphEdge[], seen: Set<string>): void {
  const f = (n: string) => field(frame, n);
  const [id, source, target, kind, st, first, last, main, thickness, color] = [
    f(NodeGraphField.id),
    f(NodeGraphField.source),
    f(NodeGraphField.target),
    f(TimescopeField.kind),
    f(TimescopeField.status),
    f(TimescopeField.firstSeen),
    f(TimescopeField.lastSeen),
    f(NodeGraphField.mainStat),
    f(NodeGraphField.thickness),
    f(NodeGraphField.color),
  ];
  const detail = detailFields(frame);
  for (let i = 0; i < frame.length; i++) {
    const s = str(source, i);
    const t = str(target, i);
    if (!s || !t) continue;
    const edgeId = str(id, i) || makeEdgeId(s, t);
    if (seen.has(edgeId)) continue;
    seen.add(edgeId);
    const c = color?.values[i];
    into.push({
      id: edgeId,
      source: s,
      target: t,
      kind: str(kind, i),
      status: status(st, i),
      firstSeen: num(first, i),
      lastSeen: num(last, i),
      mainStat: stat(main, i),
      thickness: num(thickness, i),
      color: typeof c === 'string' && c ? c : undefined,
      details: details(detail, i),
    });
  }
}

/**
 * The first timeline row of each object, so objects absent from the nodes and edges frames can be drawn from the
 * attributes the rows repeat. Only the row is kept: the attributes are read for those few objects alone, not for
 * every row (40,000 at 10,000 nodes).
 */
interface TimelineObjects {
  rows: Map<string, number>;
  fields: Record<'entity' | 'kind' | 'title' | 'parent' | 'source' | 'target', Field | undefined>;
}

function readTimeline(frame: DataFrame, fallback: TimelineMeta, objects: TimelineObjects): Timeline {
  const custom = (frame.meta?.custom ?? {}) as Partial<TimelineMeta>;
  const meta: TimelineMeta = {
    stepMs: custom.stepMs && custom.stepMs > 0 ? custom.stepMs : fallback.stepMs,
    fromMs: custom.fromMs ?? fallback.fromMs,
    toMs: custom.toMs ?? fallback.toMs,
  };
  const nodes = new Map<string, Interval[]>();
  const edges = new Map<string, Interval[]>();
  const f = (n: string) => field(frame, n);
  const [id, entity, start, end] = [
    f(TimelineField.id),
    f(TimelineField.entity),
    f(TimelineField.start),
    f(TimelineField.end),
  ];
  objects.fields = {
    entity,
    kind: f(TimelineField.kind),
    title: f(TimelineField.title),
    parent: f(TimelineField.parent),
    source: f(TimelineField.edgeSource),
    target: f(TimelineField.edgeTarget),
  };
  for (let i = 0; i < frame.length; i++) {
    const key = str(id, i);
    const s = num(start, i);
    const e = num(end, i);
    if (!key || s === undefined || e === undefined) continue;
    const map = str(entity, i) === 'edge' ? edges : nodes;
    if (!objects.rows.has(key)) objects.rows.set(key, i);
    const list = map.get(key);
    if (list) list.push({ start: s, end: e });
    else map.set(key, [{ start: s, end: e }]);
  }
  for (const map of [nodes, edges]) {
    for (const list of map.values()) if (list.length > 1) list.sort((x, y) => x.start - y.start);
  }
  return { meta, nodes, edges };
}

/**
 * Objects the timeline knows but the nodes and edges frames leave out (our datasource's instant mode lists only what
 * is present at its instant): added from the attributes the timeline rows repeat, so the panel draws them at the
 * instants they were there and lays them out with everything else.
 */
function addTimelineObjects(
  objects: TimelineObjects,
  nodes: GraphNode[],
  index: Map<string, number>,
  edges: GraphEdge[],
  edgeIds: Set<string>,
): void {
  const { rows, fields: f } = objects;
  const isEdge = (row: number) => str(f.entity, row) === 'edge';
  for (const [id, row] of rows) {
    if (isEdge(row) || index.has(id)) continue;
    const kind = str(f.kind, row);
    index.set(id, nodes.length);
    nodes.push({
      id,
      title: str(f.title, row) || id,
      subtitle: kind,
      kind,
      parent: str(f.parent, row),
      status: '',
      details: {},
    });
  }
  for (const [id, row] of rows) {
    if (!isEdge(row) || edgeIds.has(id)) continue;
    const source = str(f.source, row);
    const target = str(f.target, row);
    if (!source || !target) continue;
    edgeIds.add(id);
    edges.push({ id, source, target, kind: str(f.kind, row), status: '', details: {} });
  }
}

/**
 * Builds the Graph from a panel's series. Edges whose ends are not nodes get a node made up for the missing end
 * (Grafana's Node Graph does the same), so an edges-only result still draws.
 */
export function graphFromFrames(series: DataFrame[], range?: { fromMs: number; toMs: number; stepMs: number }): Graph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const index = new Map<string, number>();
  const edgeIds = new Set<string>();
  let timeline: Timeline | undefined;
  const objects: TimelineObjects = { rows: new Map(), fields: {} as TimelineObjects['fields'] };
  const fallback: TimelineMeta = {
    stepMs: range?.stepMs ?? 60_000,
    fromMs: range?.fromMs ?? 0,
    toMs: range?.toMs ?? 0,
  };
  const statNames: StatNames = {};
  const named = (frame: DataFrame, n: string) => field(frame, n)?.config?.displayName || undefined;
  for (const frame of series) {
    if (isTimelineFrame(frame)) timeline = readTimeline(frame, fallback, objects);
    else if (isEdgesFrame(frame)) {
      readEdges(frame, edges, edgeIds);
      statNames.edgeMain ??= named(frame, NodeGraphField.mainStat);
    } else if (isNodesFrame(frame)) {
      readNodes(frame, nodes, index);
      statNames.nodeMain ??= named(frame, NodeGraphField.mainStat);
      statNames.nodeSecondary ??= named(frame, NodeGraphField.secondaryStat);
    }
  }
  addTimelineObjects(objects, nodes, index, edges, edgeIds);
  for (const e of edges) {
    for (const end of [e.source, e.target]) {
      if (!index.has(end)) {
        index.set(end, nodes.length);
        nodes.push({ id: end, title: end, subtitle: '', kind: '', parent: '', status: '', details: {} });
      }
    }
  }
  return { nodes, edges, index, timeline, statNames };
}
