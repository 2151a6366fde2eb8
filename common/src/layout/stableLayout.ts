// Positions by node id from the layout engine, for callers that hold ids rather than the panel's graph (the
// datasource's fixedX/fixedY for Grafana's Node Graph). Same engine and spacing as the panel, so a graph read in
// the same order gets the same places.
import { createLayoutEngine, type LayoutAlgorithm, type LayoutResult } from './engine';

/** The spacing the panel lays out with (px between nodes of a layer, and between layers). */
export const LAYOUT_SPACING = { nodeSpacing: 90, layerSpacing: 110 } as const;

export interface Position {
  x: number;
  y: number;
}

let engine: ReturnType<typeof createLayoutEngine> | undefined;

/**
 * Lays out `nodeIds` (in that order) and the edges between them; an edge with an end not among the nodes is
 * left out. Positions depend only on the nodes, the edges and their order: not on which of them is present at an
 * instant, so a node keeps its place as time moves when every node seen in the range is passed.
 */
export function stableLayout(
  nodeIds: readonly string[],
  edges: readonly { source: string; target: string }[],
  algorithm: LayoutAlgorithm,
): Map<string, Position> {
  const index = new Map(nodeIds.map((id, i) => [id, i]));
  const pairs: number[] = [];
  for (const e of edges) {
    const s = index.get(e.source);
    const t = index.get(e.target);
    if (s !== undefined && t !== undefined) pairs.push(s, t);
  }
  engine ??= createLayoutEngine();
  const result: LayoutResult = engine.layout({
    n: nodeIds.length,
    edges: Int32Array.from(pairs),
    groups: new Int32Array(0),
    groupNames: [],
    algorithm,
    ...LAYOUT_SPACING,
  });
  return new Map(nodeIds.map((id, i) => [id, { x: result.x[i], y: result.y[i] }]));
}
