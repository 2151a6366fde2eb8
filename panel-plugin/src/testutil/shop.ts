// A small graph with history for the render tests: frontend calls carts-v1 until step 5, then carts-v2 from step 6.
import type { DataFrame } from '@grafana/data';
import type { LayoutResult } from '@timescope/common';
import { graphFromFrames } from '../model/frames';
import type { Graph } from '../model/graph';
import { frame } from './frame';

export const from = 1_000_000;
export const step = 60_000;
export const to = from + 10 * step;

/** The shop's frames as the datasource returns them; `nodeFields` adds node fields (one value per node a, b, c). */
export function shopFrames(nodeFields: Record<string, unknown[]> = {}): DataFrame[] {
  return [
    frame('nodes', {
      id: ['a', 'b', 'c'],
      title: ['frontend', 'carts-v1', 'carts-v2'],
      kind: ['workload', 'pod', 'pod'],
      ...nodeFields,
    }),
    frame('edges', { id: ['a->b', 'a->c'], source: ['a', 'a'], target: ['b', 'c'] }),
    frame(
      'timeline',
      {
        id: ['a', 'b', 'c', 'a->b', 'a->c'],
        entity: ['node', 'node', 'node', 'edge', 'edge'],
        start: [from, from, from + 6 * step, from, from + 6 * step],
        end: [to, from + 5 * step, to, from + 5 * step, to],
      },
      { custom: { stepMs: step, fromMs: from, toMs: to } },
    ),
  ];
}

export function shopGraph(): Graph {
  return graphFromFrames(shopFrames());
}

/** Node i at (100 i, 10 i): positions a test can tell apart. */
export function lineLayout(graph: Graph): LayoutResult {
  const n = graph.nodes.length;
  return {
    x: Float64Array.from({ length: n }, (_, i) => 100 * i),
    y: Float64Array.from({ length: n }, (_, i) => 10 * i),
    boxes: [],
  };
}
