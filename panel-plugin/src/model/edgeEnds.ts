// Edge ends by node index, once per graph: the presence at an instant, the styles, the label importance and the
// layout input all need them, and at 30,000 edges each would otherwise do 60,000 lookups of long id strings.
import type { Graph } from './graph';

export interface EdgeEnds {
  /** node index of each edge's source, -1 when the id is not a node */
  source: Int32Array;
  /** node index of each edge's target, -1 when the id is not a node */
  target: Int32Array;
}

const cache = new WeakMap<Graph, EdgeEnds>();

/** Keeps the ends found while the graph was built (graphFromFrames), so that they are not looked up again. */
export function rememberEdgeEnds(graph: Graph, ends: EdgeEnds): void {
  cache.set(graph, ends);
}

export function edgeEnds(graph: Graph): EdgeEnds {
  let c = cache.get(graph);
  if (!c) {
    const m = graph.edges.length;
    const source = new Int32Array(m);
    const target = new Int32Array(m);
    for (let i = 0; i < m; i++) {
      const e = graph.edges[i];
      source[i] = graph.index.get(e.source) ?? -1;
      target[i] = graph.index.get(e.target) ?? -1;
    }
    c = { source, target };
    cache.set(graph, c);
  }
  return c;
}
