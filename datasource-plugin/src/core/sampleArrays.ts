// A series' raw samples as numbers, parsed once per answer: a counter's samples are read for its presence
// (samplePresence.ts) and for its request rate (adapters/sampleRates.ts), and parsing 180,000 values is the most
// of either. Both measure a counter's rise over a window the same way (counterRise).
import type { PromMatrixSeries } from './promClient';

export interface SampleArrays {
  /** milliseconds */
  times: Float64Array;
  values: Float64Array;
}

/** A sample value as Prometheus writes it (`+Inf`, `-Inf`, `NaN` included). */
export function sampleValue(raw: string): number {
  if (raw === '+Inf') return Infinity;
  if (raw === '-Inf') return -Infinity;
  return Number(raw);
}

const parsed = new WeakMap<PromMatrixSeries, SampleArrays>();

/** The series' samples as numbers (the same arrays for the same series object: do not write into them). */
export function sampleArrays(s: PromMatrixSeries): SampleArrays {
  const known = parsed.get(s);
  if (known) return known;
  const len = s.values.length;
  const out = { times: new Float64Array(len), values: new Float64Array(len) };
  for (let i = 0; i < len; i++) {
    out.times[i] = Math.round(s.values[i][0] * 1000);
    out.values[i] = sampleValue(s.values[i][1]);
  }
  parsed.set(s, out);
  return out;
}

/** PromQL's increase() before extrapolation (which only scales it): the rise over the samples [lo, hi), a reset
 * counting as a rise from 0. */
export function counterRise(values: Float64Array, lo: number, hi: number): number {
  let result = values[hi - 1] - values[lo];
  let last = 0;
  for (let i = lo; i < hi; i++) {
    if (values[i] < last) result += last;
    last = values[i];
  }
  return result;
}
