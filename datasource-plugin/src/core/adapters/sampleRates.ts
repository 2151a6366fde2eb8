// The request-rate figure worked out from a counter's raw samples, where the datasource asks for them anyway (a
// counter family's presence on a fine grid, samplePresence.ts): the rows `sum by (<by>) (rate(<counter>[w]))` would
// answer on the figures' grid, without a range query that reads the same samples again inside Prometheus. The rate is
// PromQL's: the rise over the window's samples (a reset counts as a rise from 0), extrapolated towards the window's
// ends (up to half a sample interval, or to where the counter would have been 0) and divided by the window.
import type { RangeBounds } from '@timescope/common';
import type { PromMatrixSeries } from '../promClient';
import { counterRise, sampleArrays } from '../sampleArrays';
import type { Grid } from '../timeline';
import type { FigureSeries } from './figures';
import { GridSums, type GridSum } from './gridSums';

/** A window's samples [lo, hi) of one series, as PromQL's rate() over a window ending at `endMs` sees them. */
function rateOf(times: Float64Array, values: Float64Array, lo: number, hi: number, endMs: number, windowMs: number) {
  const n = hi - lo;
  if (n < 2) return undefined;
  const rise = counterRise(values, lo, hi);
  const first = times[lo];
  const last = times[hi - 1];
  let toStart = (first - (endMs - windowMs)) / 1000;
  const toEnd = (endMs - last) / 1000;
  const sampled = (last - first) / 1000;
  const average = sampled / (n - 1);
  if (rise > 0 && values[lo] >= 0) {
    // a counter is never below 0: no extrapolation past the instant it would have been 0 at
    toStart = Math.min(toStart, sampled * (values[lo] / rise));
  }
  const threshold = average * 1.1;
  const interval = sampled + (toStart < threshold ? toStart : average / 2) + (toEnd < threshold ? toEnd : average / 2);
  return rise * (interval / sampled / (windowMs / 1000));
}

/**
 * The rows of `sum by (<by>) (rate(<series>[windowMs]))` at each instant of `grid`, from the series' raw samples
 * (which must reach back one window before the grid's first instant).
 */
export function ratesFromSamples(
  series: readonly PromMatrixSeries[],
  by: readonly string[],
  grid: Grid,
  windowMs: number,
  bounds: RangeBounds,
): FigureSeries[] {
  const sums = new GridSums(by, grid);
  for (const s of series) {
    const len = s.values.length;
    const { times, values } = sampleArrays(s);
    let sum: GridSum | undefined;
    let lo = 0;
    let hi = 0;
    for (let k = 0; k < sums.n; k++) {
      const end = grid.fromMs + k * grid.stepMs;
      while (hi < len && times[hi] <= end) hi++;
      while (lo < hi && (bounds === 'closed' ? times[lo] < end - windowMs : times[lo] <= end - windowMs)) lo++;
      const r = rateOf(times, values, lo, hi, end, windowMs);
      if (r === undefined) continue;
      sum ??= sums.of(s.metric);
      sum.add(k, r);
    }
  }
  return sums.rows();
}
