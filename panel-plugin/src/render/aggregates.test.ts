import { DiffState } from '../model/diff';
import { aggregateEdges, aggregates, closedBoxes, closedOfNode, OPEN_SCALE } from './aggregates';
import type { RenderScene } from './scene';

/** Two boxes: nodes 0-2 in box 0 (node 2 not drawn), nodes 3-4 in box 1, node 5 in none. */
function scene(): RenderScene {
  return {
    x: Float64Array.from([10, 20, 30, 210, 220, 400]),
    y: Float64Array.from([10, 20, 30, 10, 20, 400]),
    boxes: [
      { name: 'shop', x: 0, y: 0, w: 100, h: 100 },
      { name: 'pay', x: 200, y: 0, w: 100, h: 60 },
    ],
    nodeBox: Int32Array.from([0, 0, 0, 1, 1, -1]),
    nodeIds: ['a', 'b', 'c', 'd', 'e', 'f'],
    edgeIds: [],
    labels: ['a', 'b', 'c', 'd', 'e', 'f'],
    priority: Int32Array.from([0, 1, 2, 3, 4, 5]),
    nodeStyle: Int16Array.from([0, 1, -1, 0, 0, 0]),
    nodeStyles: [
      { fill: '#green', stroke: '', dashed: false, alpha: 1, ring: 0 },
      { fill: '#red', stroke: '', dashed: true, alpha: 1, ring: 2 },
    ],
    nodeState: Uint8Array.from([DiffState.added, DiffState.removed, 0, DiffState.unchanged, DiffState.unchanged, 3]),
    // a->b inside shop, a->d and b->e shop to pay, d->f pay to an ungrouped node, c->d not drawn
    edgeSource: Int32Array.from([0, 0, 1, 3, 2]),
    edgeTarget: Int32Array.from([1, 3, 4, 5, 3]),
    edgeStyle: Int16Array.from([0, 0, 0, 0, -1]),
    edgeStyles: [{ color: '#e', width: 1, dashed: false, alpha: 1 }],
    edgeLabel: () => undefined,
    edgeOrder: Int32Array.from([0, 1, 2, 3, 4]),
    text: '',
    box: '',
  };
}

describe('semantic zoom', () => {
  it('makes each box with a drawn node one aggregate with its count, diff counts and main colour', () => {
    const [shop, pay] = aggregates(scene());
    expect(shop).toMatchObject({ box: 0, name: 'shop', count: 2, added: 1, removed: 1, cx: 50, cy: 50 });
    expect(pay).toMatchObject({ box: 1, name: 'pay', count: 2, added: 0, removed: 0, fill: '#green', cx: 250 });
  });

  it('closes every group zoomed out except those opened by a click, and none zoomed in', () => {
    expect(Array.from(closedBoxes(2, OPEN_SCALE / 2, new Set([1])))).toEqual([1, 0]);
    expect(Array.from(closedBoxes(2, OPEN_SCALE, new Set()))).toEqual([0, 0]);
    expect(Array.from(closedOfNode(scene().nodeBox, Uint8Array.from([1, 0]), 6))).toEqual([0, 0, 0, -1, -1, -1]);
  });

  it('merges the edges of closed groups by their ends and drops those inside one', () => {
    const s = scene();
    const both = aggregateEdges(s, closedOfNode(s.nodeBox, Uint8Array.from([1, 1]), 6));
    expect(both).toEqual([
      { a: -1, b: -2, count: 2 },
      { a: -2, b: 5, count: 1 },
    ]);
    // pay open: the shop's edges end at its aggregate on one side and at pay's nodes on the other
    const one = aggregateEdges(s, closedOfNode(s.nodeBox, Uint8Array.from([1, 0]), 6));
    expect(one).toEqual([
      { a: -1, b: 3, count: 1 },
      { a: -1, b: 4, count: 1 },
    ]);
  });
});
