// What a correct reader must rebuild from a history, computed straight from the series' lifetimes (not through
// PromQL), following docs/time-travel.md: a series is present at T if it has a sample in (T - 2*resolution, T];
// "over a range" is present at any step; "diff" compares the start with the end.
import { edgeId, kindOfNodeId, KubernetesMetric, Metric, nodeId, NodeKind, parseEdgeId } from '../metrics';
import type { History, HistorySeries } from './types';

/** The view kinds a reader can ask for. */
export type ViewKind = 'host' | 'process' | 'container' | 'pod' | 'workload' | 'service';

export const INFO_METRIC: Readonly<Record<ViewKind | 'namespace', string>> = {
  host: Metric.HostInfo,
  process: Metric.ProcessInfo,
  container: Metric.ContainerInfo,
  pod: KubernetesMetric.PodInfo,
  workload: KubernetesMetric.WorkloadInfo,
  service: KubernetesMetric.ServiceInfo,
  namespace: KubernetesMetric.NamespaceInfo,
};

/** True if `s` has a sample in (t - 2*resolution, t]. */
export function presentAt(h: History, s: HistorySeries, tSec: number): boolean {
  const res = h.resolutionSec;
  const lookback = 2 * res;
  const kMin = Math.max(
    0,
    Math.ceil((s.fromSec - h.startSec) / res),
    Math.floor((tSec - lookback - h.startSec) / res) + 1,
  );
  const kMax = Math.min(
    Math.floor((tSec - h.startSec) / res),
    Math.floor((h.endSec - h.startSec) / res),
    Math.ceil((s.toSec - h.startSec) / res) - 1,
  );
  return kMin <= kMax;
}

function live(h: History, metric: string, tSec: number): HistorySeries[] {
  return h.series.filter((s) => s.metric === metric && presentAt(h, s, tSec));
}

const sorted = (ids: Iterable<string>): string[] => [...new Set(ids)].sort();

/** Ids of the nodes of `kind` that have an `_info` series present at `tSec`. */
export function nodesAt(h: History, kind: ViewKind | 'namespace', tSec: number): string[] {
  return sorted(live(h, INFO_METRIC[kind], tSec).map((s) => s.labels.node));
}

const WILDCARDS = new Set(['0.0.0.0', '::']);

/** Process-level edges at `tSec`: local edges plus remote connections resolved through listeners and addresses. */
function processEdgesAt(h: History, tSec: number): [string, string][] {
  const edges: [string, string][] = live(h, Metric.EdgeConnections, tSec)
    .filter((s) => s.labels.kind === 'process' && s.value > 0)
    .map((s) => [s.labels.source, s.labels.target]);
  const owner = new Map(live(h, Metric.HostAddressInfo, tSec).map((s) => [s.labels.address, s.labels.host]));
  const listeners = live(h, Metric.ListenInfo, tSec);
  const resolve = (address: string, port: string): string => {
    const host = owner.get(address);
    const l = listeners.find(
      (x) =>
        x.labels.port === port &&
        (x.labels.address === address || (WILDCARDS.has(x.labels.address) && x.labels.host === host)),
    );
    return l ? l.labels.node : nodeId.external(address);
  };
  for (const s of live(h, Metric.RemoteConnections, tSec)) {
    if (s.value <= 0) continue;
    const { node, direction, address, port } = s.labels;
    if (direction === 'outbound') edges.push([node, resolve(address, port)]);
    else if (direction === 'inbound' && !owner.has(address)) edges.push([nodeId.external(address), node]);
  }
  return edges;
}

/** The parent of every node present at `tSec` (from all `_info` families). */
function parentsAt(h: History, tSec: number): Map<string, string> {
  const infos = new Set(Object.values(INFO_METRIC));
  const parents = new Map<string, string>();
  for (const s of h.series) {
    if (infos.has(s.metric) && presentAt(h, s, tSec)) parents.set(s.labels.node, s.labels.parent);
  }
  return parents;
}

function ancestorOfKind(parents: Map<string, string>, id: string, kind: string): string | undefined {
  if (kindOfNodeId(id) === NodeKind.External) return id;
  for (let cur: string | undefined = id, hops = 0; cur && hops < 8; cur = parents.get(cur), hops++) {
    if (kindOfNodeId(cur) === kind) return cur;
  }
  return undefined;
}

/**
 * Edge ids (`source->target`) of view `kind` at `tSec`: published edges of that kind, else process edges (local ones
 * and resolved remote connections) rolled up through `parent`.
 */
export function edgesAt(h: History, kind: ViewKind, tSec: number): string[] {
  const published = h.series.some((s) => s.metric === Metric.EdgeConnections && s.labels.kind === kind);
  if (published && kind !== 'process') {
    return sorted(
      live(h, Metric.EdgeConnections, tSec)
        .filter((s) => s.labels.kind === kind && s.value > 0)
        .map((s) => edgeId(s.labels.source, s.labels.target)),
    );
  }
  const edges = processEdgesAt(h, tSec);
  if (kind === 'process') return sorted(edges.map(([a, b]) => edgeId(a, b)));
  const parents = parentsAt(h, tSec);
  const out: string[] = [];
  for (const [a, b] of edges) {
    const ra = ancestorOfKind(parents, a, kind);
    const rb = ancestorOfKind(parents, b, kind);
    if (ra && rb && ra !== rb) out.push(edgeId(ra, rb));
  }
  return sorted(out);
}

export interface Graph {
  nodes: string[];
  edges: string[];
}

/** The graph of view `kind` at `tSec`: nodes with `_info` series, plus edge endpoints (external clients). */
export function graphAt(h: History, kind: ViewKind, tSec: number): Graph {
  const edges = edgesAt(h, kind, tSec);
  const ends = edges.flatMap((e) => {
    const ends = parseEdgeId(e);
    return ends ? [ends.source, ends.target] : [];
  });
  return { nodes: sorted([...nodesAt(h, kind, tSec), ...ends]), edges };
}

/** Everything present at any step `fromSec, fromSec + stepSec, ...` up to `toSec`. */
export function graphDuring(h: History, kind: ViewKind, fromSec: number, toSec: number, stepSec: number): Graph {
  const nodes = new Set<string>();
  const edges = new Set<string>();
  for (let t = fromSec; t <= toSec; t += stepSec) {
    const g = graphAt(h, kind, t);
    g.nodes.forEach((n) => nodes.add(n));
    g.edges.forEach((e) => edges.add(e));
  }
  return { nodes: sorted(nodes), edges: sorted(edges) };
}

export interface GraphDiff {
  addedNodes: string[];
  removedNodes: string[];
  addedEdges: string[];
  removedEdges: string[];
}

/** What changed between the state at `fromSec` and the state at `toSec`. */
export function graphDiff(h: History, kind: ViewKind, fromSec: number, toSec: number): GraphDiff {
  const a = graphAt(h, kind, fromSec);
  const b = graphAt(h, kind, toSec);
  const minus = (x: string[], y: string[]): string[] => x.filter((v) => !y.includes(v));
  return {
    addedNodes: minus(b.nodes, a.nodes),
    removedNodes: minus(a.nodes, b.nodes),
    addedEdges: minus(b.edges, a.edges),
    removedEdges: minus(a.edges, b.edges),
  };
}

/** Deploy start (and end) instants in ms, as annotations must show them, for deploys starting in [from, to]. */
export function deployInstantsMs(
  h: History,
  fromSec = h.startSec,
  toSec = h.endSec,
): { time: number; timeEnd?: number }[] {
  return h.deploys
    .filter((d) => d.startSec >= fromSec && d.startSec <= toSec)
    .map((d) => ({ time: d.startSec * 1000, ...(d.end && d.end.sec <= toSec ? { timeEnd: d.end.sec * 1000 } : {}) }));
}
