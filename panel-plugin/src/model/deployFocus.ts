// Signal before noise for a deploy's diff: which nodes are the deployed workload, which are their neighbours, and
// the changed nodes and edges ordered by their distance (in hops, over every edge of the range) from the workload.
import { deploysOfNode, type DeployMarker } from './deploys';
import { DiffState, type Diff } from './diff';
import type { Graph } from './graph';

export interface Change {
  entity: 'node' | 'edge';
  id: string;
  /** a node's title, or `source → target` by titles */
  label: string;
  status: 'added' | 'removed';
  /** hops from the deployed workload; -1 when not connected to it */
  distance: number;
  /** node index (the edge's end nearer the workload for edges) */
  node: number;
}

export interface DeployFocus {
  /** node indices of the deployed workload (empty when no node is it) */
  deployed: number[];
  /** 1 for the deployed nodes and their neighbours */
  near: Uint8Array;
  /** the diff's added and removed nodes and edges, nearest first */
  changes: Change[];
}

/** Hops from any of `sources` to every node, over every edge in either direction; -1 when unreachable. */
export function hopsFrom(graph: Graph, sources: readonly number[]): Int32Array {
  const n = graph.nodes.length;
  const adj: number[][] = Array.from({ length: n }, () => []);
  for (const e of graph.edges) {
    const s = graph.index.get(e.source);
    const t = graph.index.get(e.target);
    if (s === undefined || t === undefined || s === t) continue;
    adj[s].push(t);
    adj[t].push(s);
  }
  const dist = new Int32Array(n).fill(-1);
  let frontier = sources.filter((i) => i >= 0 && i < n);
  for (const i of frontier) dist[i] = 0;
  for (let d = 1; frontier.length; d++) {
    const next: number[] = [];
    for (const i of frontier) {
      for (const j of adj[i]) {
        if (dist[j] < 0) {
          dist[j] = d;
          next.push(j);
        }
      }
    }
    frontier = next;
  }
  return dist;
}

const nearest = (a: number, b: number) => (a < 0 ? b : b < 0 ? a : Math.min(a, b));
const rank = (d: number) => (d < 0 ? Number.MAX_SAFE_INTEGER : d);

export function deployFocus(graph: Graph, deploy: DeployMarker, diff: Diff): DeployFocus {
  const deployed = graph.nodes.flatMap((n, i) => (deploysOfNode([deploy], n).length ? [i] : []));
  const dist = hopsFrom(graph, deployed);
  const near = Uint8Array.from(dist, (d) => (d === 0 || d === 1 ? 1 : 0));
  const state = (s: number) => (s === DiffState.added ? 'added' : s === DiffState.removed ? 'removed' : undefined);
  const changes: Change[] = [];
  graph.nodes.forEach((n, i) => {
    const status = state(diff.nodes[i]);
    if (status) changes.push({ entity: 'node', id: n.id, label: n.title, status, distance: dist[i], node: i });
  });
  graph.edges.forEach((e, i) => {
    const status = state(diff.edges[i]);
    const s = graph.index.get(e.source);
    const t = graph.index.get(e.target);
    if (!status || s === undefined || t === undefined) return;
    const distance = nearest(dist[s], dist[t]);
    const node = distance === dist[s] ? s : t;
    const label = `${graph.nodes[s].title} → ${graph.nodes[t].title}`;
    changes.push({ entity: 'edge', id: e.id, label, status, distance, node });
  });
  changes.sort(
    (a, b) =>
      rank(a.distance) - rank(b.distance) ||
      (a.entity === b.entity ? 0 : a.entity === 'node' ? -1 : 1) ||
      (a.status === b.status ? 0 : a.status === 'added' ? -1 : 1) ||
      a.label.localeCompare(b.label),
  );
  return { deployed, near, changes };
}
