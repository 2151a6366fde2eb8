import { frame } from '../testutil/frame';
import { from, shopGraph, step } from '../testutil/shop';
import { baselineDiff, diffFromStatus, hasTime } from './baselineDiff';
import { graphFromFrames } from './frames';
import { presenceAll, presenceAt } from './presence';

/** A graph without time: the datasource compared the range's end with its start and wrote a status. */
function statusGraph(statuses: string[]) {
  return graphFromFrames([
    frame('nodes', { id: ['a', 'b', 'c'], title: ['a', 'b', 'c'], status: statuses }),
    frame('edges', { id: ['a->b', 'a->c'], source: ['a', 'a'], target: ['b', 'c'], status: ['removed', 'added'] }),
  ]);
}

describe('baselineDiff', () => {
  it('is nothing without a baseline', () => {
    const graph = shopGraph();
    expect(baselineDiff(graph, null, presenceAt(graph, from))).toBeUndefined();
  });

  it('compares the baseline instant with the present one when the graph has a timeline', () => {
    const graph = shopGraph();
    expect(hasTime(graph)).toBe(true);
    const diff = baselineDiff(graph, from, presenceAt(graph, from + 8 * step));
    expect(diff?.counts).toEqual({ addedNodes: 1, removedNodes: 1, addedEdges: 1, removedEdges: 1 });
    expect(baselineDiff(graph, from + 8 * step, presenceAt(graph, from + 9 * step))?.counts).toEqual({
      addedNodes: 0,
      removedNodes: 0,
      addedEdges: 0,
      removedEdges: 0,
    });
  });

  it('without time, takes the diff from the status field', () => {
    const graph = statusGraph(['', 'removed', 'added']);
    expect(hasTime(graph)).toBe(false);
    const diff = baselineDiff(graph, from, presenceAll(graph));
    expect(diff?.counts).toEqual({ addedNodes: 1, removedNodes: 1, addedEdges: 1, removedEdges: 1 });
    expect(Array.from(diff?.nodes ?? [])).toEqual([3, 2, 1]);
  });

  it('without time or statuses there is nothing to compare', () => {
    expect(diffFromStatus(statusGraph(['', '', '']))).toBeUndefined();
  });
});
