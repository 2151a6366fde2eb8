import { graphFromFrames } from '../model/frames';
import { frame } from '../testutil/frame';
import {
  CollisionGrid,
  importance,
  isListener,
  labelPriority,
  labelTops,
  placeLabels,
  type PlaceInput,
} from './labels';

/** The shop seen from a host: the shop's servers, with few connections, and the shell noise around them. */
function noisyHost() {
  return graphFromFrames([
    frame('nodes', {
      id: [
        'process:h/bash',
        'process:h/sleep',
        'process:h/catalogue[8081]',
        'process:h/payment[8082]',
        'pod:shop/orders-db-0',
        'process:h/sed',
      ],
      title: ['bash', 'sleep', 'catalogue', 'payment', 'orders-db-0', 'sed'],
      kind: ['process', 'process', 'process', 'process', 'pod', 'process'],
    }),
    frame('edges', {
      id: ['1', '2', '3', '4', '5'],
      // bash talks to everything; catalogue and payment have one caller each
      source: ['process:h/bash', 'process:h/bash', 'process:h/bash', 'process:h/sleep', 'process:h/sed'],
      target: [
        'process:h/sleep',
        'process:h/sed',
        'process:h/catalogue[8081]',
        'process:h/payment[8082]',
        'process:h/bash',
      ],
    }),
  ]);
}

const titles = (g: ReturnType<typeof noisyHost>, order: Int32Array) => Array.from(order, (i) => g.nodes[i].title);

describe('label priority', () => {
  it('puts listeners before the shell noise that has more connections', () => {
    const g = noisyHost();
    expect(isListener(g.nodes[2])).toBe(true);
    expect(isListener(g.nodes[0])).toBe(false);
    expect(titles(g, labelPriority(g)).slice(0, 3)).toEqual(['catalogue', 'payment', 'bash']);
  });

  it("puts the view's own node kind first, and search hits before everything", () => {
    const g = noisyHost();
    expect(titles(g, labelPriority(g, { viewKind: 'pod' }))[0]).toBe('orders-db-0');
    const match = Uint8Array.from([0, 0, 0, 0, 0, 1]);
    expect(titles(g, labelPriority(g, { viewKind: 'pod', match }))[0]).toBe('sed');
  });

  it('orders a tier by the number of connections, never by the order of the frames', () => {
    const g = noisyHost();
    const score = importance(g);
    expect(score[0]).toBeGreaterThan(score[1]); // bash (4) over sleep (2)
    expect(titles(g, labelPriority(g)).slice(2)).toEqual(['bash', 'sleep', 'sed', 'orders-db-0']);
  });
});

describe('label placement', () => {
  it('offers the place under a node first, then above it, and neither past the canvas edges', () => {
    expect(labelTops(100, 10, 400)).toEqual([113, 75]);
    expect(labelTops(390, 10, 400)).toEqual([365]);
    expect(labelTops(10, 10, 20)).toEqual([]);
  });

  const input = (p: Partial<PlaceInput>): PlaceInput => ({
    order: [0, 1, 2],
    at: (i) => ({ x: 100 + i * 10, y: 100 }),
    text: (i) => `node-${i}`,
    width: (t) => t.length * 7,
    radius: 10,
    height: 400,
    budget: 100,
    avoidOverlap: true,
    grid: new CollisionGrid(),
    ...p,
  });

  it('gives the most important label the place under its node, the next one above its node, and leaves out the rest', () => {
    const placed = placeLabels(input({ order: [2, 0, 1] }));
    expect(placed.map((p) => [p.index, p.y])).toEqual([
      [2, 113],
      [0, 75],
    ]);
    expect(placeLabels(input({ avoidOverlap: false })).map((p) => p.index)).toEqual([0, 1, 2]);
  });

  it('never puts a label below the bottom edge (the strip is there)', () => {
    const placed = placeLabels(input({ at: (i) => ({ x: 100 + 200 * i, y: 395 }) }));
    expect(placed).toHaveLength(3);
    for (const p of placed) expect(p.y + 12).toBeLessThanOrEqual(400);
  });

  it('keeps to the budget and skips nodes that are not drawn', () => {
    const far = (i: number) => (i === 1 ? null : { x: 200 * i, y: 50 });
    expect(placeLabels(input({ at: far })).map((p) => p.index)).toEqual([0, 2]);
    expect(placeLabels(input({ at: far, budget: 1 }))).toHaveLength(1);
  });
});
