// Topology -> data frames: nodes and edges following Grafana's Node Graph contract (so the built-in Node Graph
// panel draws them as they are) plus our fields, and the timeline frame (common/src/frames.ts).
// Only types come from @grafana/data: the core stays loadable without Grafana's runtime (and unit-testable).
import type { DataFrame, Field, FieldConfig, FieldType as GrafanaFieldType } from '@grafana/data';
import {
  FrameName,
  NodeGraphField,
  TimelineField,
  TimescopeField,
  type ChangeStatus,
  type TimelineMeta,
} from '@timescope/common';
import { span } from './timeline';
import type { TopoEdge, TopoNode, Topology } from './topology';

/** The FieldType values used here (the same strings as @grafana/data's enum). */
const FieldType = {
  string: 'string' as GrafanaFieldType.string,
  number: 'number' as GrafanaFieldType.number,
  time: 'time' as GrafanaFieldType.time,
};
type FieldType = (typeof FieldType)[keyof typeof FieldType];

/** Node Graph names (common/src/frames.ts holds the same strings as NodeGraphDataFrameFieldNames). */
const NG = {
  id: NodeGraphField.id,
  title: NodeGraphField.title,
  subTitle: NodeGraphField.subtitle,
  mainStat: NodeGraphField.mainStat,
  secondaryStat: NodeGraphField.secondaryStat,
  arc: NodeGraphField.arc,
  detail: NodeGraphField.detail,
  color: NodeGraphField.color,
  source: NodeGraphField.source,
  target: NodeGraphField.target,
  thickness: NodeGraphField.thickness,
  strokeDasharray: NodeGraphField.strokeDasharray,
};

const STATUS_COLOR: Record<ChangeStatus, string> = {
  added: '#73BF69',
  removed: '#F2495C',
  unchanged: '#8AB8FF',
  '': '#8AB8FF',
};

function field(name: string, type: FieldType, values: unknown[], config: FieldConfig = {}): Field {
  return { name, type, values, config };
}

function frame(name: string, refId: string, fields: Field[], meta: DataFrame['meta']): DataFrame {
  return { name, refId, fields, length: fields[0]?.values.length ?? 0, meta };
}

/** A field maker for one frame's rows: each field is one property of every row. */
function columnsOf<T>(
  rows: T[],
): (name: string, type: FieldType, pick: (row: T) => unknown, config?: FieldConfig) => Field {
  return (name, type, pick, config) => field(name, type, rows.map(pick), config);
}

/** The fields nodes and edges end with: change status and the span in which each was seen. */
function presenceFields(status: ChangeStatus[], seenAt: Array<[number, number]>): Field[] {
  return [
    field(TimescopeField.status, FieldType.string, status),
    field(
      TimescopeField.firstSeen,
      FieldType.time,
      seenAt.map((s) => s[0]),
    ),
    field(
      TimescopeField.lastSeen,
      FieldType.time,
      seenAt.map((s) => s[1]),
    ),
  ];
}

/** added / removed / unchanged against the start of the range ('' in instant mode, or for objects gone in between). */
export function statusOf(mode: string, at: { has(k: string): boolean }): ChangeStatus {
  if (mode === 'instant') return '';
  const from = at.has('from');
  const to = at.has('to');
  if (from && to) return 'unchanged';
  if (to) return 'added';
  if (from) return 'removed';
  return '';
}

/** Which objects the nodes and edges frames hold: present at the instant, seen in the range, or at either end. */
function shown(mode: string, at: { has(k: string): boolean }, intervals: readonly unknown[]): boolean {
  if (mode === 'instant') return at.has('at');
  if (mode === 'diff') return at.has('from') || at.has('to');
  return intervals.length > 0 || at.has('from') || at.has('to');
}

function seen(o: { intervals: TopoNode['intervals']; at: { has(k: string): boolean } }, t: Topology): [number, number] {
  const s = span(o.intervals);
  const first = s ? s[0] : o.at.has('from') ? t.grid.fromMs : t.grid.toMs;
  const last = o.at.has('to') ? t.grid.toMs : s ? s[1] : first;
  return [first, last];
}

const refInstant = (mode: string): string => (mode === 'instant' ? 'at' : 'to');

export function nodesFrame(t: Topology, refId: string): DataFrame {
  const mode = t.request.mode;
  const nodes = t.nodes.filter((n) => shown(mode, n.at, n.intervals)).sort((a, b) => a.id.localeCompare(b.id));
  const edges = t.edges.filter((e) => e.at.has(refInstant(mode)));
  const inbound = new Map<string, number>();
  const outbound = new Map<string, number>();
  for (const e of edges) {
    inbound.set(e.target, (inbound.get(e.target) ?? 0) + 1);
    outbound.set(e.source, (outbound.get(e.source) ?? 0) + 1);
  }
  const status = nodes.map((n) => statusOf(mode, n.at));
  const seenAt = nodes.map((n) => seen(n, t));
  const nodeField = columnsOf(nodes);
  const arc = (s: ChangeStatus): number[] => status.map((x) => (x === s || (s === 'unchanged' && x === '') ? 1 : 0));
  return frame(
    FrameName.Nodes,
    refId,
    [
      nodeField(NG.id, FieldType.string, (n) => n.id),
      nodeField(NG.title, FieldType.string, (n) => n.title),
      nodeField(NG.subTitle, FieldType.string, (n) => n.subtitle),
      nodeField(NG.mainStat, FieldType.number, (n) => inbound.get(n.id) ?? 0, { displayName: 'Inbound edges' }),
      nodeField(NG.secondaryStat, FieldType.number, (n) => outbound.get(n.id) ?? 0, { displayName: 'Outbound edges' }),
      field(`${NG.arc}added`, FieldType.number, arc('added'), {
        color: { mode: 'fixed', fixedColor: STATUS_COLOR.added },
      }),
      field(`${NG.arc}removed`, FieldType.number, arc('removed'), {
        color: { mode: 'fixed', fixedColor: STATUS_COLOR.removed },
      }),
      field(`${NG.arc}unchanged`, FieldType.number, arc('unchanged'), {
        color: { mode: 'fixed', fixedColor: STATUS_COLOR.unchanged },
      }),
      nodeField(`${NG.detail}kind`, FieldType.string, (n) => n.kind, { displayName: 'Kind' }),
      nodeField(`${NG.detail}namespace`, FieldType.string, (n) => n.labels.namespace ?? '', {
        displayName: 'Namespace',
      }),
      nodeField(`${NG.detail}host`, FieldType.string, (n) => n.labels.host ?? '', { displayName: 'Host' }),
      field(
        NG.color,
        FieldType.string,
        status.map((s) => STATUS_COLOR[s]),
      ),
      nodeField(TimescopeField.kind, FieldType.string, (n) => n.kind),
      nodeField(TimescopeField.parent, FieldType.string, (n) => n.parent),
      nodeField(TimescopeField.group, FieldType.string, (n) => n.group),
      ...presenceFields(status, seenAt),
    ],
    { preferredVisualisationType: 'nodeGraph' },
  );
}

function edgeValue(e: TopoEdge, mode: string): number {
  return e.at.get(refInstant(mode)) ?? e.at.get('from') ?? 0;
}

export function edgesFrame(t: Topology, refId: string): DataFrame {
  const mode = t.request.mode;
  const edges = t.edges.filter((e) => shown(mode, e.at, e.intervals)).sort((a, b) => a.id.localeCompare(b.id));
  const status = edges.map((e) => statusOf(mode, e.at));
  const values = edges.map((e) => edgeValue(e, mode));
  const seenAt = edges.map((e) => seen(e, t));
  const edgeField = columnsOf(edges);
  return frame(
    FrameName.Edges,
    refId,
    [
      edgeField(NG.id, FieldType.string, (e) => e.id),
      edgeField(NG.source, FieldType.string, (e) => e.source),
      edgeField(NG.target, FieldType.string, (e) => e.target),
      field(NG.mainStat, FieldType.number, values, { displayName: 'Connections' }),
      field(
        NG.thickness,
        FieldType.number,
        values.map((v) => 1 + Math.min(4, Math.log2(1 + v))),
      ),
      field(
        NG.color,
        FieldType.string,
        status.map((s) => STATUS_COLOR[s]),
      ),
      field(
        NG.strokeDasharray,
        FieldType.string,
        status.map((s) => (s === 'removed' ? '5 5' : '')),
      ),
      edgeField(`${NG.detail}kind`, FieldType.string, (e) => e.kind, { displayName: 'Kind' }),
      edgeField(TimescopeField.kind, FieldType.string, (e) => e.kind),
      ...presenceFields(status, seenAt),
    ],
    { preferredVisualisationType: 'nodeGraph' },
  );
}

export function timelineFrame(t: Topology, refId: string): DataFrame {
  const cols = {
    id: [] as string[],
    entity: [] as string[],
    start: [] as number[],
    end: [] as number[],
    kind: [] as string[],
    title: [] as string[],
    parent: [] as string[],
    group: [] as string[],
    source: [] as string[],
    target: [] as string[],
  };
  const push = (
    id: string,
    entity: 'node' | 'edge',
    [s, e]: readonly [number, number],
    o: { kind: string; title: string; parent: string; group: string; source: string; target: string },
  ): void => {
    cols.id.push(id);
    cols.entity.push(entity);
    cols.start.push(s);
    cols.end.push(e);
    cols.kind.push(o.kind);
    cols.title.push(o.title);
    cols.parent.push(o.parent);
    cols.group.push(o.group);
    cols.source.push(o.source);
    cols.target.push(o.target);
  };
  for (const n of t.nodes) {
    for (const iv of n.intervals) push(n.id, 'node', iv, { ...n, source: '', target: '' });
  }
  for (const e of t.edges) {
    for (const iv of e.intervals)
      push(e.id, 'edge', iv, { kind: e.kind, title: '', parent: '', group: '', source: e.source, target: e.target });
  }
  const custom: TimelineMeta = {
    stepMs: t.grid.stepMs,
    fromMs: t.grid.fromMs,
    toMs: t.grid.toMs,
    mode: t.request.mode,
    instantMs: t.request.mode === 'instant' ? (t.request.instantMs ?? t.grid.toMs) : t.grid.toMs,
  };
  return frame(
    FrameName.Timeline,
    refId,
    [
      field(TimelineField.id, FieldType.string, cols.id),
      field(TimelineField.entity, FieldType.string, cols.entity),
      field(TimelineField.start, FieldType.time, cols.start),
      field(TimelineField.end, FieldType.time, cols.end),
      field(TimelineField.kind, FieldType.string, cols.kind),
      field(TimelineField.title, FieldType.string, cols.title),
      field(TimelineField.parent, FieldType.string, cols.parent),
      field(TimelineField.group, FieldType.string, cols.group),
      field(TimelineField.edgeSource, FieldType.string, cols.source),
      field(TimelineField.edgeTarget, FieldType.string, cols.target),
    ],
    { custom: { ...custom } },
  );
}

/** The three frames of a topology query. */
export function topologyFrames(t: Topology, refId: string): DataFrame[] {
  return [nodesFrame(t, refId), edgesFrame(t, refId), timelineFrame(t, refId)];
}
