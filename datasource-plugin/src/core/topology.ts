// Rebuilds the topology of a time range from Prometheus: every node and edge seen, its presence intervals on the
// step grid and its state at the range's start, the query's instant and the range's end. A constant number of
// requests (2 to 20 depending on the view), planned (queryPlan.ts), run in parallel and cancelled together
// (execute.ts), then decoded per family (familyData.ts) and here into nodes and edges.
import { kindOfNodeId, namespaceOfNodeId, nodeId, nodeIdBody, NodeKind } from '@timescope/common';
import { childController } from './abortable';
import { exactValues, ADAPTERS } from './adapters';
import { resolveAddressEnds, type PodAddress } from './adapters/addressEnds';
import { decodeFigures, type EdgeFigures, type FigureSeries } from './adapters/figures';
import { ratesFromSamples } from './adapters/sampleRates';
import { sumBy } from './adapters/sumBy';
import { mergeSources } from './adapters/merge';
import { needsWarning } from './adapters/needs';
import { dockerLabels, withDocker, type DockerLabels } from './dockerNames';
import { executePlan, type Answers } from './execute';
import { decodeFamily, type FamilyData } from './familyData';
import type { PromClient } from './promClient';
import type { EdgeSource, Filters, Grouping } from './query';
import {
  PENDING,
  PROMETHEUS_2,
  edgeMetricOf,
  figureGridOf,
  figureQueriesOf,
  figureWindowMs,
  figuresId,
  planQuery,
  planWithCoverage,
  queryContext,
  rateFromSamples,
  requestId,
  summedP95Requests,
  type FamilyPlan,
  type FamilyRole,
  type QueryContext,
  type QueryPlan,
  type StoreCapabilities,
  type TopologyRequest,
} from './queryPlan';
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

export type { TopologyRequest } from './queryPlan';

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
  /** the edge sources that saw it */
  sources?: string[];
}

export interface Topology {
  request: TopologyRequest;
  grid: Grid;
  nodes: TopoNode[];
  edges: TopoEdge[];
  warnings: string[];
  /** L7 figures of the edges that have them, one value per step of `figureGrid` */
  figures?: Map<string, EdgeFigures>;
  /** the instants of the figures (queryPlan.ts's figureGridOf: the query's step or coarser) */
  figureGrid?: Grid;
}

export function hasFilters(f: Filters): boolean {
  return Boolean(f.namespace || f.host || f.name || f.kind);
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

/** The decoded families of a plan, by role (and edge source). */
interface Decoded {
  ctx: QueryContext;
  families: Map<string, FamilyData>;
  answers: Answers;
}

function dataOf(d: Decoded, source: EdgeSource | undefined, role: FamilyRole): FamilyData | undefined {
  const prefix = source && d.ctx.edgeSources.length > 1 ? `${source}.` : '';
  return d.families.get(`${prefix}${role}`);
}

/** Process edges: local ones plus remote connections resolved to listeners (or external addresses). */
function processEdges(l: FamilyData, r: FamilyData, answers: Answers): EdgeRecord[] {
  const listeners: Listener[] = [];
  const owners = new Map<string, string>();
  for (const row of answers.vector('endpoints')) {
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

function parentLinks(d: FamilyData): ParentLink[] {
  return [...allKeys(d)].map((key) => {
    const lab = d.labels.get(key) ?? {};
    return { node: lab.node ?? '', parent: lab.parent ?? '', ...presenceOf(d, key) };
  });
}

interface SourceEdges {
  edges: Map<string, EdgeRecord>;
  kind: string;
  /** the sources of each edge */
  sources: Map<string, string[]>;
  warnings: string[];
}

function podAddresses(d: FamilyData): PodAddress[] {
  return [...allKeys(d)].map((key) => {
    const lab = d.labels.get(key) ?? {};
    return { ip: lab.pod_ip ?? '', pod: lab.node ?? '', ...presenceOf(d, key) };
  });
}

/** An adapter's edges, its address ends resolved; a warning when its series named none. */
function publishedEdges(d: Decoded, source: EdgeSource, data: FamilyData): SourceEdges {
  const generic = ADAPTERS[source];
  const adapter = generic.forObjects?.([...data.labels.values()]) ?? generic;
  const step = d.ctx.grid.stepMs;
  let records = edgeRecords(data, (l) => adapter.toEdge(l));
  const addresses = dataOf(d, source, 'addresses');
  if (adapter.resolvesAddresses && addresses) {
    const names = d.ctx.instants.map((i) => i.name);
    records = resolveAddressEnds(records, podAddresses(addresses), names, step);
  }
  const edges = mergeEdges(records, step);
  const warning =
    source === 'timescope'
      ? undefined
      : needsWarning({
          adapter,
          metric: edgeMetricOf(d.ctx.request, source),
          objects: [...data.labels.values()],
          edges: edges.size,
        });
  return {
    edges,
    kind: source === 'timescope' ? d.ctx.request.view : '',
    sources: new Map([...edges.keys()].map((id) => [id, [source]])),
    warnings: warning ? [warning] : [],
  };
}

function edgesFrom(d: Decoded, source: EdgeSource): SourceEdges {
  const req = d.ctx.request;
  const step = d.ctx.grid.stepMs;
  const published = dataOf(d, source, 'edges');
  if (published) return publishedEdges(d, source, published);
  const local = dataOf(d, source, 'local');
  const remote = dataOf(d, source, 'remote');
  const proc = local && remote ? processEdges(local, remote, d.answers) : [];
  const links = dataOf(d, source, 'parents');
  const names = d.ctx.instants.map((i) => i.name);
  const edges = links ? rollUp(proc, parentLinks(links), req.view, names, step) : mergeEdges(proc, step);
  const sources = new Map([...edges.keys()].map((id): [string, string[]] => [id, [source]]));
  return { edges, kind: links ? req.view : 'process', sources, warnings: [] };
}

/** The edges of every source of the query, merged on node ids. */
function edgesOf(d: Decoded): SourceEdges {
  const each = d.ctx.edgeSources.map((s) => edgesFrom(d, s));
  if (each.length === 1) return each[0];
  const sources = new Map<string, string[]>();
  for (const e of each) for (const [id, s] of e.sources) sources.set(id, [...(sources.get(id) ?? []), ...s]);
  const warnings = each.flatMap((e) => e.warnings);
  const edges = mergeSources(
    each.map((e) => e.edges),
    d.ctx.grid.stepMs,
  );
  return { edges, kind: '', sources, warnings };
}

/** A source's request rates from its edge family's raw samples (`rateFromSamples`), summed by the family's labels. */
function sampledRates(ctx: QueryContext, plan: QueryPlan, source: EdgeSource, answers: Answers): FigureSeries[] {
  const edges = plan.families.find((f) => f.role === 'edges' && f.source === source);
  if (!edges) return [];
  const samples = answers.matrix(requestId(edges.id, 'samples'));
  return ratesFromSamples(samples, edges.family.by, figureGridOf(ctx), figureWindowMs(ctx), ctx.store.bounds);
}

/** The L7 figures of the edges kept, from every source that has them, on the figures' grid. */
function figuresOf(
  ctx: QueryContext,
  plan: QueryPlan,
  answers: Answers,
  keep: ReadonlySet<string>,
): Map<string, EdgeFigures> {
  const out = new Map<string, EdgeFigures>();
  const grid = figureGridOf(ctx);
  for (const source of ctx.edgeSources) {
    if (!answers.has(figuresId(source, 'failed'))) continue;
    const failed = answers.matrix(figuresId(source, 'failed'));
    const failedBy = figureQueriesOf(ctx, source)?.failedUnsummed?.by;
    const rows = {
      rate: rateFromSamples(ctx, source)
        ? sampledRates(ctx, plan, source, answers)
        : answers.matrix(figuresId(source, 'rate')),
      failed: failedBy ? sumBy(failed, failedBy, grid) : failed,
      p95: answers.matrix(figuresId(source, 'p95')),
    };
    decodeFigures(rows, ADAPTERS[source], grid, keep, out);
  }
  return out;
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

/**
 * Rebuilds the topology: plan (queryPlan.ts), execute (execute.ts), decode (below); throws PrometheusError on
 * failure (and then cancels the requests still running).
 */
export async function buildTopology(
  client: PromClient,
  req: TopologyRequest,
  signal?: AbortSignal,
  store: StoreCapabilities = PROMETHEUS_2,
): Promise<Topology> {
  const inner = childController(signal);
  const ctx = queryContext(req, store);
  try {
    const first = planQuery(ctx, PENDING);
    const { plan, answers } = await executePlan(client, first, (rows) => planWithCoverage(ctx, rows), inner.signal);
    return decodeTopology(ctx, plan, await withSummedP95(client, ctx, answers, inner.signal));
  } catch (e) {
    inner.abort();
    throw e;
  } finally {
    inner.release();
  }
}

/** The answers, with the summed p95 of the sources whose unsummed one differs from it (`summedP95Requests`). */
async function withSummedP95(client: PromClient, ctx: QueryContext, answers: Answers, signal: AbortSignal) {
  const requests = summedP95Requests(ctx, (id) => answers.matrix(id));
  if (requests.length === 0) return answers;
  const plan: QueryPlan = { families: [], requests, complete: true };
  const summed = (await executePlan(client, plan, () => plan, signal)).answers;
  const again = new Set(requests.map((r) => r.id));
  const matrix = (id: string) => (again.has(id) ? summed.matrix(id) : answers.matrix(id));
  return { ...answers, matrix, split: new Map([...answers.split, ...summed.split]) };
}

function nodeOf(
  ctx: QueryContext,
  nodeData: FamilyData,
  key: string,
  docker: ReadonlyMap<string, DockerLabels>,
): TopoNode {
  const labels = withDocker(nodeData.labels.get(key) ?? { node: key }, docker.get(key));
  const p = presenceOf(nodeData, key);
  return {
    id: key,
    kind: labels.kind || kindOfNodeId(key),
    title: labels.docker_name || labels.name || nodeIdBody(key),
    subtitle: subtitleOf(labels),
    parent: labels.parent ?? '',
    group: groupOf(ctx.request.groupBy, labels),
    labels,
    intervals: p.intervals,
    at: new Set(p.at.keys()),
  };
}

/** Ends without an _info series in range (external clients, other edge sources): present when an edge is. */
function addEnds(ctx: QueryContext, nodes: Map<string, TopoNode>, edges: readonly TopoEdge[], nodeData?: FamilyData) {
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
        group:
          ctx.request.groupBy === 'namespace' && namespaceOfNodeId(end) ? nodeId.namespace(namespaceOfNodeId(end)) : '',
        labels: {},
        intervals: [],
        at: new Set<string>(),
      };
      n.intervals = union(n.intervals, e.intervals, ctx.grid.stepMs);
      for (const k of e.at.keys()) n.at.add(k);
      nodes.set(end, n);
    }
  }
}

/** What was coarsened or split to fit the store's limits (rangeFit.ts). */
function fitWarnings(ctx: QueryContext, answers: Answers): string[] {
  const out = ctx.stepNote ? [ctx.stepNote] : [];
  for (const [id, n] of answers.split) {
    out.push(
      `The range query ${id} was asked in ${n.pieces} requests (the store refused the whole range: ${n.reason}); ` +
        'same step, same results.',
    );
  }
  return out;
}

/** The last step: the answers of a plan decoded into nodes and edges. */
export function decodeTopology(ctx: QueryContext, plan: QueryPlan, answers: Answers): Topology {
  const req = ctx.request;
  const families = new Map(plan.families.map((f: FamilyPlan) => [f.id, decodeFamily(ctx, f, answers)]));
  const decoded: Decoded = { ctx, families, answers };
  const nodeData = dataOf(decoded, undefined, 'nodes');
  const edgeResult = edgesOf(decoded);
  const docker = dockerLabels(answers.vector('docker'));
  const nodes = new Map<string, TopoNode>();
  if (nodeData) for (const key of allKeys(nodeData)) nodes.set(key, nodeOf(ctx, nodeData, key, docker));
  const filtered = hasFilters(req.filters);
  const edges: TopoEdge[] = [];
  for (const [id, e] of edgeResult.edges) {
    const ok = (n: string): boolean =>
      nodes.has(n) ||
      kindOfNodeId(n) === NodeKind.External ||
      (!ctx.native ? nodePassesIdFilters(n, req.filters) : !filtered);
    if (!ok(e.source) || !ok(e.target)) continue;
    edges.push({
      id,
      source: e.source,
      target: e.target,
      kind: edgeResult.kind || kindOfNodeId(e.source),
      intervals: e.intervals,
      at: e.at,
      sources: edgeResult.sources.get(id) ?? [],
    });
  }
  addEnds(ctx, nodes, edges, nodeData);
  const warnings: string[] = [...edgeResult.warnings, ...fitWarnings(ctx, answers)];
  if (ctx.native && nodes.size === 0 && edges.length === 0) {
    warnings.push(`No ${req.view} nodes found in this time range${filtered ? ' with these filters' : ''}.`);
  }
  const figures = figuresOf(ctx, plan, answers, new Set(edges.map((e) => e.id)));
  const figureGrid = figureGridOf(ctx);
  return { request: req, grid: ctx.grid, nodes: [...nodes.values()], edges, warnings, figures, figureGrid };
}
