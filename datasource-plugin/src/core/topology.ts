// Rebuilds the topology of a time range from Prometheus: every node and edge seen, its presence intervals on the
// step grid and its state at the range's start, the query's instant and the range's end. A constant number of
// requests (2 to 20 depending on the view), run in parallel and cancelled together.
import {
  Metric,
  KubernetesMetric,
  kindOfNodeId,
  Label,
  lookbackMs,
  namespaceOfNodeId,
  nodeIdBody,
  nodeId,
  NodeKind,
  type Matcher,
} from '@timescope/common';
import { childController } from './abortable';
import { dockerLabels, withDocker } from './dockerNames';
import { ADAPTERS, exactValues } from './adapters';
import { queryFamily, seenWindowMs, type FamilyData } from './familyData';
import { queryCoverage, type RuleCoverage } from './presenceChanges';
import type { PromClient } from './promClient';
import { seriesFamily, type Family, type NamedInstant, type Timing } from './queryBuilder';
import type { EdgeSource, Filters, Grouping, Mode, View } from './query';
import {
  mergeEdges,
  resolveRemote,
  rollUp,
  type EdgeRecord,
  type Listener,
  type ParentLink,
  type RemoteRecord,
} from './rollup';
import { union, type Grid, type Interval } from './timeline';

export interface TopologyRequest {
  view: View;
  mode: Mode;
  filters: Filters;
  groupBy: Grouping;
  edgeSource: EdgeSource;
  edgeMetric?: string;
  fromMs: number;
  toMs: number;
  /** instant mode: the instant shown (default toMs) */
  instantMs?: number;
  stepMs: number;
  scrapeIntervalMs: number;
  /** read the presence rule's changes where it covers the range (default true; false: always the raw series) */
  usePresenceRule?: boolean;
}

export interface TopoNode {
  id: string;
  kind: string;
  title: string;
  subtitle: string;
  parent: string;
  group: string;
  labels: Record<string, string>;
  intervals: Interval[];
  /** instants (from, at, to) at which the node is present */
  at: Set<string>;
}

export interface TopoEdge {
  id: string;
  source: string;
  target: string;
  kind: string;
  intervals: Interval[];
  /** value (connections, or 1) at each instant the edge is present at */
  at: Map<string, number>;
}

export interface Topology {
  request: TopologyRequest;
  grid: Grid;
  nodes: TopoNode[];
  edges: TopoEdge[];
  warnings: string[];
}

export const INFO_FAMILY: Readonly<Record<View, string>> = {
  host: Metric.HostInfo,
  process: Metric.ProcessInfo,
  container: Metric.ContainerInfo,
  pod: KubernetesMetric.PodInfo,
  workload: KubernetesMetric.WorkloadInfo,
  service: KubernetesMetric.ServiceInfo,
};

/** Views whose edges the exporter publishes directly (others are rolled up from process edges). */
const PUBLISHED_EDGE_VIEWS = new Set<View>(['pod', 'workload', 'service']);

/** Label matchers for the node filters of a view. */
export function nodeMatchers(view: View, f: Filters): Matcher[] {
  const m: Matcher[] = [];
  if (f.namespace) m.push({ label: Label.Namespace, op: '=~', value: exactValues(f.namespace) });
  if (f.host) m.push({ label: Label.Host, op: '=~', value: exactValues(f.host) });
  if (f.name) m.push({ label: Label.Name, op: '=~', value: f.name });
  if (f.kind && view === 'workload') m.push({ label: Label.WorkloadKind, op: '=~', value: exactValues(f.kind) });
  if (f.kind && view === 'pod') {
    // the workload id's shape, with a regex for each part
    m.push({ label: Label.Workload, op: '=~', value: nodeId.workload('[^/]*', exactValues(f.kind), '.*') });
  }
  return m;
}

export function hasFilters(f: Filters): boolean {
  return Boolean(f.namespace || f.host || f.name || f.kind);
}

export function nodeFamily(view: View, filters: Filters): Family {
  return seriesFamily([INFO_FAMILY[view]], nodeMatchers(view, filters), {
    by: [Label.Node],
    presence: 'sample',
    value: 'group',
  });
}

function presenceOf(d: FamilyData, key: string): { intervals: Interval[]; at: Map<string, number> } {
  const at = new Map<string, number>();
  for (const [name, m] of d.at) {
    const v = m.get(key);
    if (v !== undefined) at.set(name, v);
  }
  return { intervals: d.intervals.get(key) ?? [], at };
}

function allKeys(d: FamilyData): Set<string> {
  const keys = new Set(d.intervals.keys());
  for (const m of d.at.values()) for (const k of m.keys()) keys.add(k);
  return keys;
}

function edgeRecords(
  d: FamilyData,
  toEnds: (l: Record<string, string>) => { source: string; target: string } | undefined,
): EdgeRecord[] {
  const out: EdgeRecord[] = [];
  for (const key of allKeys(d)) {
    const ends = toEnds(d.labels.get(key) ?? {});
    if (ends) out.push({ ...ends, ...presenceOf(d, key) });
  }
  return out;
}

interface Ctx {
  client: PromClient;
  grid: Grid;
  timing: Timing;
  instants: NamedInstant[];
  rule?: Promise<RuleCoverage | undefined>;
  signal?: AbortSignal;
}

/** Process edges: local ones plus remote connections resolved to listeners (or external addresses). */
async function processEdges(ctx: Ctx): Promise<EdgeRecord[]> {
  const o = { grid: ctx.grid, timing: ctx.timing, instants: ctx.instants, rule: ctx.rule, signal: ctx.signal };
  const isProcess: Matcher[] = [{ label: Label.Kind, op: '=', value: NodeKind.Process }];
  const local = seriesFamily([Metric.EdgeConnections], isProcess, {
    by: [Label.Source, Label.Target],
    presence: 'positive',
    value: 'sum',
  });
  const remote = seriesFamily([Metric.RemoteConnections], isProcess, {
    by: [Label.Node, Label.Direction, Label.Address, Label.Port],
    presence: 'positive',
    value: 'sum',
  });
  const windowMs = seenWindowMs(ctx.grid, ctx.timing);
  const endpoints = `group by (node, host, address, port) (last_over_time({__name__=~"${Metric.ListenInfo}|${Metric.HostAddressInfo}"}[${windowMs}ms]))`;
  const [l, r, ep] = await Promise.all([
    queryFamily(ctx.client, local, o),
    queryFamily(ctx.client, remote, o),
    ctx.client.instant(endpoints, ctx.grid.toMs / 1000, ctx.signal),
  ]);
  const listeners: Listener[] = [];
  const owners = new Map<string, string>();
  for (const row of ep) {
    const m = row.metric;
    if (m.port) listeners.push({ node: m.node ?? '', host: m.host ?? '', address: m.address ?? '', port: m.port });
    else if (m.address) owners.set(m.address, m.host ?? '');
  }
  const remotes: RemoteRecord[] = [...allKeys(r)].map((key) => {
    const lab = r.labels.get(key) ?? {};
    return {
      node: lab.node ?? '',
      direction: lab.direction ?? '',
      address: lab.address ?? '',
      port: lab.port ?? '',
      ...presenceOf(r, key),
    };
  });
  return [
    ...edgeRecords(l, (x) => ({ source: x.source, target: x.target })),
    ...resolveRemote(remotes, listeners, owners),
  ];
}

async function parentLinks(ctx: Ctx): Promise<ParentLink[]> {
  const names = [Metric.ProcessInfo, Metric.ContainerInfo, KubernetesMetric.PodInfo];
  const f = seriesFamily(names, [], { by: [Label.Node, Label.Parent], presence: 'sample', value: 'group' });
  const d = await queryFamily(ctx.client, f, {
    grid: ctx.grid,
    timing: ctx.timing,
    instants: ctx.instants,
    rule: ctx.rule,
    signal: ctx.signal,
  });
  return [...allKeys(d)].map((key) => {
    const lab = d.labels.get(key) ?? {};
    return { node: lab.node ?? '', parent: lab.parent ?? '', ...presenceOf(d, key) };
  });
}

async function edgesFor(ctx: Ctx, req: TopologyRequest): Promise<{ edges: Map<string, EdgeRecord>; kind: string }> {
  const step = ctx.grid.stepMs;
  const adapter = ADAPTERS[req.edgeSource];
  if (req.edgeSource !== 'timescope' || PUBLISHED_EDGE_VIEWS.has(req.view)) {
    const family = adapter.family(req.edgeMetric || adapter.defaultMetric, req.view);
    const d = await queryFamily(ctx.client, family, {
      grid: ctx.grid,
      timing: ctx.timing,
      instants: ctx.instants,
      rule: ctx.rule,
      signal: ctx.signal,
    });
    const kind = req.edgeSource === 'timescope' ? req.view : '';
    return {
      edges: mergeEdges(
        edgeRecords(d, (l) => adapter.toEdge(l)),
        step,
      ),
      kind,
    };
  }
  if (req.view === 'process') return { edges: mergeEdges(await processEdges(ctx), step), kind: 'process' };
  const [proc, links] = await Promise.all([processEdges(ctx), parentLinks(ctx)]);
  const names = ctx.instants.map((i) => i.name);
  return { edges: rollUp(proc, links, req.view, names, step), kind: req.view };
}

function groupOf(g: Grouping, labels: Record<string, string>): string {
  if (g === 'namespace') return labels.namespace ? nodeId.namespace(labels.namespace) : '';
  if (g === 'host') return labels.host ? nodeId.host(labels.host) : '';
  return '';
}

function subtitleOf(labels: Record<string, string>): string {
  return labels.namespace || labels.host || '';
}

function nodePassesIdFilters(id: string, f: Filters): boolean {
  if (f.namespace && !new RegExp(`^(?:${exactValues(f.namespace)})$`).test(namespaceOfNodeId(id))) return false;
  if (f.name) {
    try {
      if (!new RegExp(`^(?:${f.name})$`).test(nodeIdBody(id))) return false;
    } catch {
      return true; // Prometheus-only regex syntax: let it through rather than hide everything
    }
  }
  return true;
}

/** Rebuilds the topology; throws PrometheusError on failure (and then cancels the requests still running). */
export async function buildTopology(client: PromClient, req: TopologyRequest, signal?: AbortSignal): Promise<Topology> {
  const inner = childController(signal);
  try {
    return await build(client, req, inner.signal);
  } catch (e) {
    inner.abort();
    throw e;
  }
}

async function build(client: PromClient, req: TopologyRequest, signal: AbortSignal): Promise<Topology> {
  const grid: Grid = { fromMs: req.fromMs, toMs: req.toMs, stepMs: req.stepMs };
  const timing: Timing = { lookbackMs: lookbackMs(req.scrapeIntervalMs) };
  const instantMs = req.instantMs ?? req.toMs;
  const instants: NamedInstant[] = [
    { name: 'from', sec: req.fromMs / 1000 },
    { name: 'at', sec: instantMs / 1000 },
    { name: 'to', sec: req.toMs / 1000 },
  ];
  const native = req.edgeSource === 'timescope';
  // only the exporter's series have a presence rule; one small request, asked beside the states, says whether it
  // covers the range (a failure reaches whoever awaits it; the catch only keeps it from being reported unhandled)
  const rule =
    native && req.usePresenceRule !== false ? queryCoverage(client, grid, req.scrapeIntervalMs, signal) : undefined;
  rule?.catch(() => undefined);
  const ctx: Ctx = { client, grid, timing, instants, rule, signal };
  const windowMs = seenWindowMs(grid, timing);
  const [nodeData, edgeResult, docker] = await Promise.all([
    native
      ? queryFamily(client, nodeFamily(req.view, req.filters), {
          grid,
          timing,
          instants,
          rule,
          signal,
          withLabels: { refSec: (req.mode === 'instant' ? instantMs : req.toMs) / 1000 },
        })
      : undefined,
    edgesFor(ctx, req),
    native && req.view === 'container' ? dockerLabels(client, grid.toMs / 1000, windowMs, signal) : undefined,
  ]);
  const warnings: string[] = [];
  const nodes = new Map<string, TopoNode>();
  if (nodeData) {
    for (const key of allKeys(nodeData)) {
      const labels = withDocker(nodeData.labels.get(key) ?? { node: key }, docker?.get(key));
      const p = presenceOf(nodeData, key);
      nodes.set(key, {
        id: key,
        kind: labels.kind || kindOfNodeId(key),
        title: labels.docker_name || labels.name || nodeIdBody(key),
        subtitle: subtitleOf(labels),
        parent: labels.parent ?? '',
        group: groupOf(req.groupBy, labels),
        labels,
        intervals: p.intervals,
        at: new Set(p.at.keys()),
      });
    }
  }
  const filtered = hasFilters(req.filters);
  const edges: TopoEdge[] = [];
  for (const [id, e] of edgeResult.edges) {
    const ok = (n: string): boolean =>
      nodes.has(n) ||
      kindOfNodeId(n) === NodeKind.External ||
      (!native ? nodePassesIdFilters(n, req.filters) : !filtered);
    if (!ok(e.source) || !ok(e.target)) continue;
    edges.push({
      id,
      source: e.source,
      target: e.target,
      kind: edgeResult.kind || kindOfNodeId(e.source),
      intervals: e.intervals,
      at: e.at,
    });
  }
  // ends without an _info series in range (external clients, other edge sources): present when an edge is
  for (const e of edges) {
    for (const end of [e.source, e.target]) {
      const cur = nodes.get(end);
      if (cur && nodeData?.labels.has(end)) continue;
      const n: TopoNode = cur ?? {
        id: end,
        kind: kindOfNodeId(end),
        title: nodeIdBody(end),
        subtitle: namespaceOfNodeId(end),
        parent: '',
        group: req.groupBy === 'namespace' && namespaceOfNodeId(end) ? nodeId.namespace(namespaceOfNodeId(end)) : '',
        labels: {},
        intervals: [],
        at: new Set<string>(),
      };
      n.intervals = union(n.intervals, e.intervals, grid.stepMs);
      for (const k of e.at.keys()) n.at.add(k);
      nodes.set(end, n);
    }
  }
  if (native && nodes.size === 0 && edges.length === 0) {
    warnings.push(`No ${req.view} nodes found in this time range${filtered ? ' with these filters' : ''}.`);
  }
  return { request: req, grid, nodes: [...nodes.values()], edges, warnings };
}
