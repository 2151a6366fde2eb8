// Turns the Graph into the layout engine's input: edges by node index and the optional grouping boxes (chosen by
// the graph itself when it is large: semantic zoom draws each box as one aggregate node when zoomed out).
import {
  hostOfNodeId,
  LAYOUT_SPACING,
  namespaceOfNodeId,
  type LayoutAlgorithm,
  type LayoutInput,
} from '@timescope/common';
import { edgeEnds } from '../model/edgeEnds';
import type { Graph, GraphNode } from '../model/graph';

/** A workload id's box name: namespace/name without the controller kind. */
function workloadName(key: string): string {
  const m = /^workload:([^/]+)\/(?:[^/]+\/)?(.+)$/.exec(key);
  return m ? `${m[1]}/${m[2]}` : key;
}

export type Grouping = 'auto' | 'none' | 'namespace' | 'host' | 'workload';
export type GroupKey = Exclude<Grouping, 'auto' | 'none'>;

/** From this many nodes 'auto' groups the graph (below it, 'auto' is 'none'). */
export const AUTO_GROUP_NODES = 2000;

/** The namespace, host or workload a node belongs to, from its detail fields or its id (docs/metrics.md). */
export function groupKey(node: GraphNode, by: Grouping): string {
  if (by === 'none' || by === 'auto') return '';
  const fromDetails = node.details[by];
  if (fromDetails) return fromDetails;
  if (by === 'workload') {
    if (node.kind === 'workload' || node.id.startsWith('workload:')) return node.id;
    return node.parent.startsWith('workload:') ? node.parent : '';
  }
  return by === 'namespace' ? namespaceOfNodeId(node.id) : hostOfNodeId(node.id);
}

const keyCache = new WeakMap<Graph, Map<GroupKey, string[]>>();

/** groupKey of every node, once per graph and key: choosing the grouping and the layout input both read them. */
function groupKeys(graph: Graph, by: GroupKey): string[] {
  let byKey = keyCache.get(graph);
  if (!byKey) keyCache.set(graph, (byKey = new Map()));
  let keys = byKey.get(by);
  if (!keys) byKey.set(by, (keys = graph.nodes.map((node) => groupKey(node, by))));
  return keys;
}

/** Node count of each group value, and how many nodes have none. */
export function groupSizes(graph: Graph, by: GroupKey): { sizes: Map<string, number>; without: number } {
  const sizes = new Map<string, number>();
  let without = 0;
  for (const k of groupKeys(graph, by)) {
    if (k) sizes.set(k, (sizes.get(k) ?? 0) + 1);
    else without++;
  }
  return { sizes, without };
}

/**
 * The grouping 'auto' stands for: none below AUTO_GROUP_NODES; else the key that covers most nodes in at least two
 * groups, none holding more than half of them (ties: the one with the smaller largest group).
 */
export function resolveGrouping(graph: Graph, grouping: Grouping): Exclude<Grouping, 'auto'> {
  if (grouping !== 'auto') return grouping;
  const n = graph.nodes.length;
  if (n < AUTO_GROUP_NODES) return 'none';
  let best: Exclude<Grouping, 'auto'> = 'none';
  let bestCovered = 0;
  let bestLargest = Infinity;
  for (const by of ['namespace', 'host', 'workload'] as const) {
    const { sizes, without } = groupSizes(graph, by);
    if (sizes.size < 2) continue;
    const largest = Math.max(...sizes.values());
    if (largest > n / 2) continue;
    const covered = n - without;
    if (covered > bestCovered || (covered === bestCovered && largest < bestLargest)) {
      best = by;
      bestCovered = covered;
      bestLargest = largest;
    }
  }
  return bestCovered >= n / 2 ? best : 'none';
}

export function layoutInput(graph: Graph, algorithm: LayoutAlgorithm, grouping: Grouping): LayoutInput {
  const n = graph.nodes.length;
  const ends = edgeEnds(graph);
  const edges = new Int32Array(graph.edges.length * 2);
  for (let i = 0; i < ends.source.length; i++) {
    edges[2 * i] = ends.source[i];
    edges[2 * i + 1] = ends.target[i];
  }
  const by = resolveGrouping(graph, grouping);
  const groups = new Int32Array(by === 'none' ? 0 : n);
  const groupNames: string[] = [];
  if (by !== 'none') {
    const ids = new Map<string, number>();
    groupKeys(graph, by).forEach((k, i) => {
      const key = by === 'workload' ? workloadName(k) : k;
      if (!key) {
        groups[i] = -1;
        return;
      }
      let g = ids.get(key);
      if (g === undefined) {
        g = groupNames.length;
        ids.set(key, g);
        groupNames.push(key);
      }
      groups[i] = g;
    });
  }
  return { n, edges, groups, groupNames, algorithm, ...LAYOUT_SPACING };
}
