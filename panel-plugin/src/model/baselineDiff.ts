// The diff the panel shows against a baseline: between the two instants when the graph has time, else the
// datasource's status field (it already compares the end of the range with its start).
import { DiffState, diffPresence, type Diff } from './diff';
import type { Graph } from './graph';
import { presenceAt, type Presence } from './presence';

/** The graph says when things were present (a timeline frame, or firstSeen/lastSeen on some node). */
export function hasTime(graph: Graph): boolean {
  return !!graph.timeline || graph.nodes.some((n) => n.firstSeen !== undefined || n.lastSeen !== undefined);
}

/** Without a timeline, our status field (against the start of the range) is the diff; none without statuses. */
export function diffFromStatus(graph: Graph): Diff | undefined {
  if (!graph.nodes.some((n) => n.status)) return undefined;
  const code = (s: string) =>
    s === 'added' ? DiffState.added : s === 'removed' ? DiffState.removed : DiffState.unchanged;
  const nodes = Uint8Array.from(graph.nodes, (n) => code(n.status));
  const edges = Uint8Array.from(graph.edges, (e) => code(e.status));
  const count = (a: Uint8Array, v: number) => a.reduce((s, x) => s + (x === v ? 1 : 0), 0);
  return {
    nodes,
    edges,
    counts: {
      addedNodes: count(nodes, DiffState.added),
      removedNodes: count(nodes, DiffState.removed),
      addedEdges: count(edges, DiffState.added),
      removedEdges: count(edges, DiffState.removed),
    },
  };
}

/** The diff from the baseline instant to what is present now (`presence`); undefined without a baseline. */
export function baselineDiff(graph: Graph, baseline: number | null, presence: Presence): Diff | undefined {
  if (baseline === null) return undefined;
  if (!hasTime(graph)) return diffFromStatus(graph);
  return diffPresence(presenceAt(graph, baseline), presence);
}
