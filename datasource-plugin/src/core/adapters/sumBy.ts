// A figure query's rows summed by some labels in the datasource, as `sum by (<by>) (...)` would have in Prometheus:
// the sum costs Prometheus a label set per row per step, the datasource a lookup per row. Rows are added in the order
// they come (Prometheus sorts them by their labels, the order its own sum takes them in).
import type { Grid } from '../timeline';
import type { FigureSeries } from './figures';

/** The rows (values on `grid`) summed by `by`, labels with empty values left out as Prometheus leaves them out. */
export function sumBy(rows: readonly FigureSeries[], by: readonly string[], grid: Grid): FigureSeries[] {
  const n = Math.floor((grid.toMs - grid.fromMs) / grid.stepMs) + 1;
  const groups = new Map<string, { metric: Record<string, string>; sum: Float64Array; seen: Uint8Array }>();
  for (const r of rows) {
    const key = by.map((l) => r.metric[l] ?? '').join('\u0000');
    let g = groups.get(key);
    if (!g) {
      const metric: Record<string, string> = {};
      for (const l of by) if (r.metric[l]) metric[l] = r.metric[l];
      g = { metric, sum: new Float64Array(n), seen: new Uint8Array(n) };
      groups.set(key, g);
    }
    for (const [t, v] of r.values) {
      const k = Math.round((t * 1000 - grid.fromMs) / grid.stepMs);
      if (k < 0 || k >= n) continue;
      g.sum[k] += Number(v);
      g.seen[k] = 1;
    }
  }
  return [...groups.values()].map(({ metric, sum, seen }) => {
    const values: [number, number][] = [];
    for (let k = 0; k < n; k++) if (seen[k] === 1) values.push([(grid.fromMs + k * grid.stepMs) / 1000, sum[k]]);
    return { metric, values };
  });
}
