// A figure query's rows summed by some labels in the datasource, as `sum by (<by>) (...)` would have in Prometheus:
// the sum costs Prometheus a label set per row per step, the datasource a lookup per row. Rows are added in the order
// they come (Prometheus sorts them by their labels, the order its own sum takes them in).
import type { Grid } from '../timeline';
import type { FigureSeries } from './figures';
import { GridSums } from './gridSums';

/** The rows (values on `grid`) summed by `by`, labels with empty values left out as Prometheus leaves them out. */
export function sumBy(rows: readonly FigureSeries[], by: readonly string[], grid: Grid): FigureSeries[] {
  const sums = new GridSums(by, grid);
  for (const r of rows) {
    const sum = sums.of(r.metric);
    for (const [t, v] of r.values) {
      const k = Math.round((t * 1000 - grid.fromMs) / grid.stepMs);
      if (k >= 0 && k < sums.n) sum.add(k, Number(v));
    }
  }
  return sums.rows();
}
