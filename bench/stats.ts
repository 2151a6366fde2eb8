// What every benchmark needs to report its figures: order statistics of repeated runs, and a full collection
// between measurements (node --expose-gc, as scripts/bench.sh runs them; a no-op without it).

/** The value at quantile q (0..1) of xs: the sample at index floor(q * n), clamped to the last. */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

export const median = (xs: readonly number[]): number => quantile(xs, 0.5);

export function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
