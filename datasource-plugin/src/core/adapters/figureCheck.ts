// Whether the p95 asked without its `sum by (<by>, le)` (FigureQueries.p95Unsummed) answered what the summed query
// would have. histogram_quantile groups the bucket rates by every label but `le`; the sum groups them by `by` and
// `le` only. The two agree wherever each group of the sum holds one series at each step: then, at every step, no
// two rows of the unsummed answer share their `by` labels. Where two do (one edge's histograms kept apart by another
// label, e.g. two collectors' `instance`), the summed query is asked.
import type { FigureSeries } from './figures';
import { byKey } from './gridSums';

/** Whether two rows of the unsummed p95 with the same `by` labels have a value at the same step. */
export function unsummedDiffers(rows: readonly FigureSeries[], by: readonly string[]): boolean {
  const steps = new Map<string, Set<number>>();
  for (const r of rows) {
    const key = byKey(r.metric, by);
    const seen = steps.get(key);
    if (!seen) {
      steps.set(key, new Set(r.values.map((v) => v[0])));
      continue;
    }
    for (const [t] of r.values) {
      if (seen.has(t)) return true;
      seen.add(t);
    }
  }
  return false;
}
