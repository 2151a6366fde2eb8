import { intersect, lastInstant, presentAt, reconstruct, span, union, type Grid } from './timeline';

const g: Grid = { fromMs: 0, toMs: 100, stepMs: 10 };

describe('timeline reconstruction', () => {
  it('keeps what is present from the start to the last step when nothing changes', () => {
    expect(reconstruct(g, ['a'], [])).toEqual(new Map([['a', [[0, 100]]]]));
    expect(lastInstant({ fromMs: 0, toMs: 95, stepMs: 10 })).toBe(90);
  });

  it('opens on appearance and closes one step before a disappearance', () => {
    const m = reconstruct(
      g,
      ['a'],
      [
        { key: 'a', atMs: 30, change: -1 },
        { key: 'b', atMs: 20, change: 1 },
        { key: 'a', atMs: 60, change: 1 },
        { key: 'b', atMs: 50, change: -1 },
      ],
    );
    expect(m.get('a')).toEqual([
      [0, 20],
      [60, 100],
    ]);
    expect(m.get('b')).toEqual([[20, 40]]);
  });

  it('ignores transitions at or before the start and contradictory ones', () => {
    const m = reconstruct(
      g,
      [],
      [
        { key: 'a', atMs: 0, change: 1 },
        { key: 'b', atMs: 40, change: -1 },
        { key: 'c', atMs: 10, change: 1 },
        { key: 'c', atMs: 20, change: 1 },
      ],
    );
    expect(m.has('a')).toBe(false);
    expect(m.has('b')).toBe(false);
    expect(m.get('c')).toEqual([[10, 100]]);
  });

  it('answers presence at any instant from the intervals', () => {
    const iv = [[20, 40] as const];
    expect(presentAt(iv, 19, 10)).toBe(false);
    expect(presentAt(iv, 20, 10)).toBe(true);
    expect(presentAt(iv, 49, 10)).toBe(true);
    expect(presentAt(iv, 50, 10)).toBe(false);
  });

  it('unites touching intervals and intersects lists', () => {
    expect(union([[0, 10]], [[20, 30]], 10)).toEqual([[0, 30]]);
    expect(union([[0, 10]], [[30, 40]], 10)).toEqual([
      [0, 10],
      [30, 40],
    ]);
    expect(
      intersect(
        [
          [0, 50],
          [70, 90],
        ],
        [[40, 80]],
      ),
    ).toEqual([
      [40, 50],
      [70, 80],
    ]);
    expect(
      span([
        [30, 40],
        [10, 20],
      ]),
    ).toEqual([10, 40]);
    expect(span([])).toBeUndefined();
  });
});
