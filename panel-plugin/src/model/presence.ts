// What is present at an instant, from the timeline frame when there is one, else from firstSeen/lastSeen,
// else everything. The layout never depends on this: only what is drawn does.
import { edgeEnds } from './edgeEnds';
import type { Graph, Interval } from './graph';

export interface Presence {
  /** 1 if node i is present */
  nodes: Uint8Array;
  /** 1 if edge i is present (both ends present too) */
  edges: Uint8Array;
  nodeCount: number;
  edgeCount: number;
}

/** Snaps an instant to the timeline's sample grid (the step the datasource queried at). */
export function snapToStep(t: number, fromMs: number, stepMs: number): number {
  if (stepMs <= 0) return t;
  return fromMs + Math.floor((t - fromMs) / stepMs + 1e-9) * stepMs;
}

function inIntervals(list: Interval[] | undefined, t: number): boolean {
  if (!list) return false;
  for (const iv of list) {
    if (iv.start > t) return false;
    if (t <= iv.end) return true;
  }
  return false;
}

function inSeen(first: number | undefined, last: number | undefined, t: number): boolean {
  if (first === undefined && last === undefined) return true;
  return (first === undefined || first <= t) && (last === undefined || t <= last);
}

interface ByIndex {
  nodeIntervals: Array<Interval[] | undefined>;
  edgeIntervals: Array<Interval[] | undefined>;
  source: Int32Array;
  target: Int32Array;
}

const byIndexCache = new WeakMap<Graph, ByIndex>();

/** Intervals and edge ends by index, once per graph: an instant change then does no string lookups (10k nodes). */
function byIndex(graph: Graph): ByIndex {
  let c = byIndexCache.get(graph);
  if (!c) {
    const tl = graph.timeline;
    c = {
      nodeIntervals: graph.nodes.map((n) => tl?.nodes.get(n.id)),
      edgeIntervals: graph.edges.map((e) => tl?.edges.get(e.id)),
      ...edgeEnds(graph),
    };
    byIndexCache.set(graph, c);
  }
  return c;
}

export function presenceAt(graph: Graph, t: number): Presence {
  const nodes = new Uint8Array(graph.nodes.length);
  const edges = new Uint8Array(graph.edges.length);
  const tl = graph.timeline;
  const ts = tl ? snapToStep(t, tl.meta.fromMs, tl.meta.stepMs) : t;
  // When the range's end is off the grid, what appeared after the last grid instant has a row at the end itself
  // ([to, to]): at the end, that row counts too, though snapping alone would land on the last grid instant.
  const te = tl && tl.meta.toMs > ts && t >= tl.meta.toMs ? tl.meta.toMs : undefined;
  const inTimeline = (list: Interval[] | undefined) =>
    inIntervals(list, ts) || (te !== undefined && inIntervals(list, te));
  const ix = byIndex(graph);
  let nodeCount = 0;
  let edgeCount = 0;
  graph.nodes.forEach((n, i) => {
    const on = tl && tl.nodes.size > 0 ? inTimeline(ix.nodeIntervals[i]) : inSeen(n.firstSeen, n.lastSeen, t);
    if (on) {
      nodes[i] = 1;
      nodeCount++;
    }
  });
  graph.edges.forEach((e, i) => {
    const s = ix.source[i];
    const d = ix.target[i];
    if (s < 0 || d < 0 || !nodes[s] || !nodes[d]) return;
    const on = tl && tl.edges.size > 0 ? inTimeline(ix.edgeIntervals[i]) : inSeen(e.firstSeen, e.lastSeen, t);
    if (on) {
      edges[i] = 1;
      edgeCount++;
    }
  });
  return { nodes, edges, nodeCount, edgeCount };
}

/** Every node and edge present (used when the panel has no time information at all). */
export function presenceAll(graph: Graph): Presence {
  return {
    nodes: new Uint8Array(graph.nodes.length).fill(1),
    edges: new Uint8Array(graph.edges.length).fill(1),
    nodeCount: graph.nodes.length,
    edgeCount: graph.edges.length,
  };
}
