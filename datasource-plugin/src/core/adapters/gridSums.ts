// Rows summed by some labels on a grid, as `sum by (<by>) (...)` would answer them in Prometheus: the figures the
// datasource sums itself (sumBy.ts) and the rates it works out from raw samples (sampleRates.ts) are built here.
// Labels with empty values are left out of a row's metric, as Prometheus leaves them out.
import type { Grid } from '../timeline';
import type { FigureSeries } from './figures';

/** The `by` labels of a row, as one string: rows with the same one fall into the same sum. */
export function byKey(metric: Record<string, string>, by: readonly string[]): string {
  return by.map((l) => metric[l] ?? '').join('\u0000');
}

/** One sum: a value per grid instant, and whether any row had a value there. */
export interface GridSum {
  add(k: number, v: number): void;
}

export class GridSums {
  /** the number of grid instants */
  readonly n: number;
  private readonly sums = new Map<string, { metric: Record<string, string>; sum: Float64Array; seen: Uint8Array }>();

  constructor(
    private readonly by: readonly string[],
    private readonly grid: Grid,
  ) {
    this.n = Math.floor((grid.toMs - grid.fromMs) / grid.stepMs) + 1;
  }

  /** The sum a row with these labels adds to (made on first use). */
  of(metric: Record<string, string>): GridSum {
    const key = byKey(metric, this.by);
    let g = this.sums.get(key);
    if (!g) {
      const kept: Record<string, string> = {};
      for (const l of this.by) if (metric[l]) kept[l] = metric[l];
      g = { metric: kept, sum: new Float64Array(this.n), seen: new Uint8Array(this.n) };
      this.sums.set(key, g);
    }
    const { sum, seen } = g;
    return {
      add: (k, v) => {
        sum[k] += v;
        seen[k] = 1;
      },
    };
  }

  /** The sums as rows, in the order their first rows came, with a value where any row had one. */
  rows(): FigureSeries[] {
    const { fromMs, stepMs } = this.grid;
    return [...this.sums.values()].map(({ metric, sum, seen }) => {
      const values: [number, number][] = [];
      for (let k = 0; k < this.n; k++) if (seen[k] === 1) values.push([(fromMs + k * stepMs) / 1000, sum[k]]);
      return { metric, values };
    });
  }
}
