// Indices ordered by a score, highest first, ties in index order: the order labels and edge labels take the space
// in. A counting sort over the distinct scores (found by the engine's numeric sort, which takes no comparator):
// sorting 30,000 indices with a comparator function calls it half a million times, tens of ms before the first draw.

/** The indices 0..n-1 of `score` by descending score; equal scores keep index order. NaN counts as 0. */
export function byDescendingScore(score: ArrayLike<number>): Int32Array {
  const n = score.length;
  const value = Float64Array.from(score, (v) => (Number.isNaN(v) ? 0 : v));
  const distinct = distinctDescending(value);
  const rank = new Int32Array(n);
  const count = new Int32Array(distinct.length + 1);
  for (let i = 0; i < n; i++) {
    rank[i] = rankOf(distinct, value[i]);
    count[rank[i] + 1]++;
  }
  for (let r = 0; r < distinct.length; r++) count[r + 1] += count[r];
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[count[rank[i]]++] = i;
  return out;
}

function distinctDescending(value: Float64Array): Float64Array {
  const sorted = value.slice().sort();
  const out = new Float64Array(sorted.length);
  let k = 0;
  for (let i = sorted.length - 1; i >= 0; i--) if (k === 0 || sorted[i] !== out[k - 1]) out[k++] = sorted[i];
  return out.subarray(0, k);
}

/** Position of v in the descending list of distinct values (binary search). */
function rankOf(distinct: Float64Array, v: number): number {
  let lo = 0;
  let hi = distinct.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (distinct[mid] > v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
