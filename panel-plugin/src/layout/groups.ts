// Turns the Graph into the layout engine's input: edges by node index and the optional grouping boxes.
import {
  hostOfNodeId,
  LAYOUT_SPACING,
  namespaceOfNodeId,
  type LayoutAlgorithm,
  type LayoutInput,
} from '@timescope/common';
import type { Graph, GraphNode } from '../model/graph';

export type Grouping = 'none' | 'namespace' | 'host';

/** The namespace or host a node belongs to, from its detail fields or, failing that, its id (docs/metrics.md). */
export function groupKey(node: GraphNode, by: Grouping): string {
  if (by === 'none') return '';
  const fromDetails = node.details[by];
  if (fromDetails) return fromDetails;
  return by === 'namespace' ? namespaceOfNodeId(node.id) : hostOfNodeId(node.id);
}

export function layoutInput(graph: Graph, algorithm: LayoutAlgorithm, grouping: Grouping): LayoutInput {
  const n = graph.nodes.length;
  const edges = new Int32Array(graph.edges.length * 2);
  graph.edges.forEach((e, i) => {
    edges[2 * i] = graph.index.get(e.source) ?? -1;
    edges[2 * i + 1] = graph.index.get(e.target) ?? -1;
  });
  const groups = new Int32Array(grouping === 'none' ? 0 : n);
  const groupNames: string[] = [];
  if (grouping !== 'none') {
    const ids = new Map<string, number>();
    graph.nodes.forEach((node, i) => {
      const key = groupKey(node, grouping);
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
