// Reads every raw sample of some series out of a store (Prometheus or VictoriaMetrics: the same query API) as a map
// from the series' labels to its samples, so that two stores' records can be compared sample for sample.
import type { RunningPrometheus } from '@timescope/common/testing';

export type SeriesSamples = Map<string, string[]>;

interface MatrixRow {
  metric: Record<string, string>;
  values: [number, string][];
}

export function seriesKey(metric: Record<string, string>, ignore: readonly string[] = []): string {
  const { __name__: name = '', ...all } = metric;
  const rest = Object.fromEntries(Object.entries(all).filter(([k]) => !ignore.includes(k)));
  const labels = Object.keys(rest)
    .sort()
    .map((k) => `${k}=${JSON.stringify(rest[k])}`);
  return `${name}{${labels.join(',')}}`;
}

export interface SampleGrid {
  /** a scrape instant of the inputs */
  originSec: number;
  stepSec: number;
  /** compare only which cells have a sample (the evaluations series, whose value is the evaluation's own time) */
  ignoreValues?: boolean;
  /** labels left out of the series' keys (a label the two stores' renderings of a rule set differently) */
  ignoreLabels?: readonly string[];
}

/**
 * Raw samples of `selector` in [fromSec, toSec], values as numbers printed the same way for both stores. With a
 * grid, a sample's time is given as the scrape interval it fell in (`#k`: [origin + k step, origin + (k+1) step)):
 * two rulers evaluating at different offsets within the step (Prometheus offsets each group by a hash of its name,
 * vmalert aligns to the step) then read the same scrape in the same cell.
 */
export async function rawSamples(
  store: Pick<RunningPrometheus, 'api'>,
  selector: string,
  fromSec: number,
  toSec: number,
  grid?: SampleGrid,
): Promise<SeriesSamples> {
  // a range selector at `toSec` includes its end; 1 ms more than the span includes `fromSec` on either kind of store
  const windowMs = (toSec - fromSec) * 1000 + 1;
  const data = await store.api<{ resultType: string; result: MatrixRow[] }>('query', {
    query: `${selector}[${windowMs}ms]`,
    time: toSec,
  });
  const out: SeriesSamples = new Map();
  for (const row of data.result) {
    const samples = row.values
      .filter(([t]) => t >= fromSec && t <= toSec)
      .map(([t, v]) => {
        const at = grid ? `#${Math.floor((t - grid.originSec) / grid.stepSec)}` : String(t);
        return grid?.ignoreValues ? at : `${at}=${Number(v)}`;
      });
    if (samples.length) out.set(seriesKey(row.metric, grid?.ignoreLabels), samples);
  }
  return out;
}

/** The differences between two sample maps, one line per series that differs (empty: equal). */
export function sampleDiff(a: SeriesSamples, b: SeriesSamples, names: [string, string]): string[] {
  const out: string[] = [];
  for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(key) ?? [];
    const y = b.get(key) ?? [];
    if (x.join() === y.join()) continue;
    const onlyX = x.filter((s) => !y.includes(s));
    const onlyY = y.filter((s) => !x.includes(s));
    out.push(
      `${key}: only in ${names[0]} [${onlyX.slice(0, 6).join(' ')}] only in ${names[1]} [${onlyY.slice(0, 6).join(' ')}]`,
    );
  }
  return out;
}
