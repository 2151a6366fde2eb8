// Frames built by hand in the datasource's format (common/src/frames.ts), for browser tests and the benchmark.
import { edgeId, FrameName } from '@timescope/common';

export interface FrameJson {
  name: string;
  meta?: Record<string, unknown>;
  fields: Array<{ name: string; values: unknown[] }>;
}

interface Spec {
  id: string;
  kind: string;
  start: number;
  end: number;
}

export const XSS_NAME = '<img src=x onerror=alert(1)>';

function frames(nodes: Spec[], edges: Array<{ s: string; t: string; start: number; end: number }>, meta: object) {
  const nodeFrame: FrameJson = {
    name: FrameName.Nodes,
    meta: { preferredVisualisationType: 'nodeGraph' },
    fields: [
      { name: 'id', values: nodes.map((n) => n.id) },
      { name: 'title', values: nodes.map((n) => n.id.replace(/^[a-z]+:([^/]+\/)?/, '')) },
      { name: 'subtitle', values: nodes.map((n) => n.kind) },
      { name: 'kind', values: nodes.map((n) => n.kind) },
      { name: 'parent', values: nodes.map(() => '') },
      { name: 'firstSeen', values: nodes.map((n) => n.start) },
      { name: 'lastSeen', values: nodes.map((n) => n.end) },
      { name: 'detail__namespace', values: nodes.map((n) => n.id.split(':')[1]?.split('/')[0] ?? '') },
    ],
  };
  const edgeFrame: FrameJson = {
    name: FrameName.Edges,
    meta: { preferredVisualisationType: 'nodeGraph' },
    fields: [
      { name: 'id', values: edges.map((e) => edgeId(e.s, e.t)) },
      { name: 'source', values: edges.map((e) => e.s) },
      { name: 'target', values: edges.map((e) => e.t) },
      { name: 'mainstat', values: edges.map((_, i) => 1 + (i % 5)) },
      { name: 'firstSeen', values: edges.map((e) => e.start) },
      { name: 'lastSeen', values: edges.map((e) => e.end) },
    ],
  };
  const rows = [
    ...nodes.map((n) => ({ id: n.id, entity: 'node', start: n.start, end: n.end })),
    ...edges.map((e) => ({ id: edgeId(e.s, e.t), entity: 'edge', start: e.start, end: e.end })),
  ];
  const timeline: FrameJson = {
    name: FrameName.Timeline,
    meta: { custom: meta },
    fields: [
      { name: 'id', values: rows.map((r) => r.id) },
      { name: 'entity', values: rows.map((r) => r.entity) },
      { name: 'start', values: rows.map((r) => r.start) },
      { name: 'end', values: rows.map((r) => r.end) },
    ],
  };
  return [nodeFrame, edgeFrame, timeline];
}

export interface ShopHistory {
  from: number;
  to: number;
  stepMs: number;
  deployAt: number;
  frames: FrameJson[];
  annotations: FrameJson[];
  /** ids of the nodes present at t (sample instants) */
  nodesAt(t: number): string[];
}

/**
 * Two hours of a small shop at one-minute steps: frontend calls catalogue, carts and orders; orders calls payment
 * and its database; a deploy of carts at +60m replaces pod carts-v1 by carts-v2; a pod with a hostile name is
 * there throughout.
 */
export function shopHistory(from = Date.UTC(2026, 10, 24, 10, 0, 0)): ShopHistory {
  const stepMs = 60_000;
  const to = from + 120 * stepMs;
  const deployAt = from + 60 * stepMs + 20_000;
  const cut = from + 60 * stepMs; // last sample of v1
  const all = (id: string, kind: string): Spec => ({ id, kind, start: from, end: to });
  const nodes: Spec[] = [
    all('workload:shop/Deployment/frontend', 'workload'),
    all('workload:shop/Deployment/catalogue', 'workload'),
    all('workload:shop/Deployment/orders', 'workload'),
    all('workload:shop/Deployment/payment', 'workload'),
    all('workload:shop/StatefulSet/orders-db', 'workload'),
    { id: 'pod:shop/carts-v1', kind: 'pod', start: from, end: cut },
    { id: 'pod:shop/carts-v2', kind: 'pod', start: cut + stepMs, end: to },
    all(`pod:shop/${XSS_NAME}`, 'pod'),
    { id: 'workload:shop/Deployment/loadgen', kind: 'workload', start: from + 10 * stepMs, end: to },
  ];
  const edge = (s: string, t: string, start = from, end = to) => ({ s, t, start, end });
  const fe = 'workload:shop/Deployment/frontend';
  const edges = [
    edge(fe, 'workload:shop/Deployment/catalogue'),
    edge(fe, 'workload:shop/Deployment/orders'),
    edge(fe, 'pod:shop/carts-v1', from, cut),
    edge(fe, 'pod:shop/carts-v2', cut + stepMs, to),
    edge('workload:shop/Deployment/orders', 'workload:shop/Deployment/payment'),
    edge('workload:shop/Deployment/orders', 'workload:shop/StatefulSet/orders-db'),
    edge(`pod:shop/${XSS_NAME}`, 'workload:shop/Deployment/catalogue'),
    edge('workload:shop/Deployment/loadgen', fe, from + 10 * stepMs, to),
  ];
  const annotations: FrameJson[] = [
    {
      name: 'deploys',
      fields: [
        { name: 'time', values: [deployAt] },
        { name: 'title', values: ['shop/carts'] },
        { name: 'text', values: ['carts: faster checkout'] },
        { name: 'namespace', values: ['shop'] },
        { name: 'workload', values: ['carts'] },
        { name: 'revision', values: ['4f1c2a9b7d3e0000000000000000000000000000'] },
        { name: 'url', values: ['https://git.example/shop/commit/4f1c2a9b7d3e'] },
      ],
    },
  ];
  return {
    from,
    to,
    stepMs,
    deployAt,
    frames: frames(nodes, edges, { stepMs, fromMs: from, toMs: to }),
    annotations,
    nodesAt: (t) => nodes.filter((n) => n.start <= t && t <= n.end).map((n) => n.id),
  };
}

/** n nodes and 5n edges (or edgesPerNode n: callers to callees across a few tiers), present for the whole range. */
export function syntheticGraph(n: number, from: number, to: number, edgesPerNode = 5): FrameJson[] {
  const nodes: Spec[] = [];
  for (let i = 0; i < n; i++) {
    nodes.push({ id: `process:host-${i % 50}/svc-${i}[${8000 + (i % 1000)}]`, kind: 'process', start: from, end: to });
  }
  const edges: Array<{ s: string; t: string; start: number; end: number }> = [];
  const seen = new Set<string>();
  let k = 0;
  for (let i = 0; edges.length < edgesPerNode * n && k < 50 * n; k++) {
    const s = i % n;
    // Callees come later in the list so the graph has tiers; a pseudo-random spread keeps it irregular.
    const t = (s + 1 + (((k * 2654435761) >>> 0) % Math.max(1, Math.floor(n / 4)))) % n;
    const key = `${s}>${t}`;
    i++;
    if (s === t || seen.has(key)) continue;
    seen.add(key);
    // A twentieth of the edges come and go over the range, so moving the instant changes the picture.
    const flap = edges.length % 20 === 0;
    const mid = from + ((to - from) * ((edges.length % 7) + 1)) / 8;
    edges.push({ s: nodes[s].id, t: nodes[t].id, start: flap ? mid : from, end: to });
  }
  return frames(nodes, edges, { stepMs: 60_000, fromMs: from, toMs: to });
}
