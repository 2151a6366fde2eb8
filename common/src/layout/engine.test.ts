import { createLayoutEngine, type LayoutInput } from './engine';

const engine = createLayoutEngine();

function input(n: number, pairs: number[], extra: Partial<LayoutInput> = {}): LayoutInput {
  return {
    n,
    edges: Int32Array.from(pairs),
    groups: new Int32Array(0),
    groupNames: [],
    algorithm: 'layered',
    nodeSpacing: 90,
    layerSpacing: 110,
    ...extra,
  };
}

describe('layout engine', () => {
  it('puts callers above their callees, even with a cycle', () => {
    // 0 -> 1 -> 2 -> 0 (cycle), 1 -> 3
    const r = engine.layout(input(4, [0, 1, 1, 2, 2, 0, 1, 3]));
    expect(r.y[0]).toBeLessThan(r.y[1]);
    expect(r.y[1]).toBeLessThan(r.y[3]);
    expect(r.y[1]).toBeLessThan(r.y[2]);
  });

  it('gives every node its own place', () => {
    const pairs: number[] = [];
    for (let i = 1; i < 300; i++) pairs.push(Math.floor(i / 3), i);
    const r = engine.layout(input(300, pairs));
    const places = new Set(Array.from(r.x, (x, i) => `${x},${r.y[i]}`));
    expect(places.size).toBe(300);
  });

  it('is deterministic, so the same range always gives the same picture', () => {
    const pairs = [0, 1, 0, 2, 2, 3, 3, 4, 1, 4];
    const a = engine.layout(input(5, pairs, { algorithm: 'force' }));
    const b = engine.layout(input(5, pairs, { algorithm: 'force' }));
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
  });

  it('draws one box per group, around its members, without overlaps', () => {
    const groups = Int32Array.from([0, 0, 1, 1, 1]);
    const r = engine.layout(input(5, [0, 1, 2, 3, 3, 4], { groups, groupNames: ['shop', 'db'] }));
    expect(r.boxes.map((b) => b.name).sort()).toEqual(['db', 'shop']);
    for (const [i, g] of groups.entries()) {
      const b = r.boxes.find((x) => x.name === ['shop', 'db'][g])!;
      expect(r.x[i]).toBeGreaterThanOrEqual(b.x);
      expect(r.x[i]).toBeLessThanOrEqual(b.x + b.w);
      expect(r.y[i]).toBeGreaterThanOrEqual(b.y);
      expect(r.y[i]).toBeLessThanOrEqual(b.y + b.h);
    }
    const [p, q] = r.boxes;
    const apart = p.x + p.w <= q.x || q.x + q.w <= p.x || p.y + p.h <= q.y || q.y + q.h <= p.y;
    expect(apart).toBe(true);
  });

  it('runs from its own source text alone (as the Web Worker does)', () => {
    const rebuilt = new Function(`return (${createLayoutEngine.toString()})()`)() as ReturnType<
      typeof createLayoutEngine
    >;
    const r = rebuilt.layout(input(3, [0, 1, 1, 2]));
    expect(Array.from(r.y)).toEqual(Array.from(engine.layout(input(3, [0, 1, 1, 2])).y));
  });
});
