// A figure query's rows summed by some labels in the datasource, as `sum by (<by>) (...)` would have in Prometheus:
// the sum costs Prometheus a label set per row per step, the datasource a lookup per row. Rows are added in the order
// they come (Prometheus sorts them by their labels, the order its own sum takes them in).
import type { FigureSeries } from './figures';

/** The rows summed by `by` (labels with empty values left out, as Prometheus leaves them out), values by instant. */
export function sumBy(rows: readonly FigureSeries[], by: readonly string[]): FigureSeries[] {
  const groups = new Map<string, { metric: Record<string, string>; sums: Map<number, number> }>();
  for (const r of rows) {
    const key = by.map((l) => r.metric[l] ?? '').join('\u0000');
    let g = groups.get(key);
    if (!g) {
      const metric: Record<string, string> = {};
      for (const l of by) if (r.metric[l]) metric[l] = r.metric[l];
      g = { metric, sums: new Map() };
      groups.set(key, g);
    }
    for (const [t, v] of r.values) g.sums.set(t, (g.sums.get(t) ?? 0) + Number(v));
  }
  return [...groups.values()].map(({ metric, sums }) => ({
    metric,
    values: [...sums].sort((a, b) => a[0] - b[0]),
  }));
}
