import { byDescendingScore } from './rank';

describe('byDescendingScore', () => {
  it('orders by score, highest first, ties in index order', () => {
    expect(Array.from(byDescendingScore([1, 3, 2, 3, 1, 0.5]))).toEqual([1, 3, 2, 0, 4, 5]);
    expect(Array.from(byDescendingScore([3, 2, 3]))).toEqual([0, 2, 1]);
  });

  it('orders what a comparator sort orders, on many repeated and fractional scores', () => {
    const score = Float64Array.from({ length: 5000 }, (_, i) => ((i * 7919) % 97) / 4 - 3);
    const expected = Array.from(score.keys()).sort((a, b) => score[b] - score[a] || a - b);
    expect(Array.from(byDescendingScore(score))).toEqual(expected);
  });

  it('handles none, one, infinities and NaN (as 0)', () => {
    expect(Array.from(byDescendingScore([]))).toEqual([]);
    expect(Array.from(byDescendingScore([4]))).toEqual([0]);
    expect(Array.from(byDescendingScore([NaN, -Infinity, Infinity, 0]))).toEqual([2, 0, 3, 1]);
  });
});
