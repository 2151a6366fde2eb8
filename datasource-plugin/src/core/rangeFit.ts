// A long range read without the presence rule must never just time out or be refused: its range queries are fitted
// to the store's limits (store.ts). Points per series are known before any request (Prometheus answers at most
// 11,000, VictoriaMetrics -search.maxPointsPerTimeseries): the step is coarsened to fit. Samples held at once
// (`--query.max-samples`, `-search.maxSamplesPerQuery`) and the query timeout depend on the number of series, known
// only once asked: a range query the store refuses for them is split in two on the step grid, each half asked
// (and split again) on its own, and the pieces joined. A split keeps the step, so the frames are those of one
// request; each fit is said in a warning on the frames.
import { PrometheusError, type PromClient, type PromMatrixSeries } from './promClient';
import type { StoreLimits } from './store';

export interface StepFit {
  stepMs: number;
  /** why the step was coarsened (absent: it was not) */
  note?: string;
}

const seconds = (ms: number): string => `${(ms / 1000).toLocaleString('en')} s`;

const pointsOf = (fromMs: number, toMs: number, stepMs: number): number => Math.floor((toMs - fromMs) / stepMs) + 1;

/** The step a range of `fromMs..toMs` is asked at: `stepMs`, or coarser in whole seconds when the store needs it. */
export function fitStep(grid: { fromMs: number; toMs: number; stepMs: number }, limits: StoreLimits): StepFit {
  const max = limits.maxPointsPerSeries;
  const { fromMs, toMs, stepMs } = grid;
  if (!max || pointsOf(fromMs, toMs, stepMs) <= max) return { stepMs };
  const fitted = Math.ceil((toMs - fromMs) / (max - 1) / 1000) * 1000;
  const note =
    `Step coarsened from ${seconds(stepMs)} to ${seconds(fitted)}: the store answers at most ` +
    `${max.toLocaleString('en')} points per series (${pointsOf(fromMs, toMs, stepMs).toLocaleString('en')} asked).`;
  return { stepMs: fitted, note };
}

/** A store's refusal that a smaller range would avoid: too many samples or points, or out of time. */
export function isOverLimit(e: unknown): boolean {
  if (!(e instanceof PrometheusError)) return false;
  if (e.kind === 'timeout') return true;
  if (e.kind !== 'client' && e.kind !== 'server') return false;
  return /too many samples|maxSamplesPerQuery|maximum resolution|maxPointsPerTimeseries|maxQueryDuration|timed? ?out/i.test(
    e.message,
  );
}

/** What the refusal was, for the warning. */
function reasonOf(e: PrometheusError): string {
  if (e.kind === 'timeout' || /maxQueryDuration|timed? ?out/i.test(e.message)) return 'out of time';
  if (/points|resolution/i.test(e.message)) return 'too many points';
  return 'too many samples';
}

export interface RangeAsk {
  query: string;
  startSec: number;
  endSec: number;
  stepSec: number;
}

/** The two halves of a range on its step grid (undefined: one instant, it cannot be split). */
export function halves(r: RangeAsk): [RangeAsk, RangeAsk] | undefined {
  const steps = Math.round((r.endSec - r.startSec) / r.stepSec);
  if (steps < 1) return undefined;
  const mid = Math.floor((steps - 1) / 2);
  // integer steps from the start, so the halves' instants are exactly the whole's
  const at = (k: number): number => Number((r.startSec + k * r.stepSec).toFixed(3));
  return [
    { ...r, endSec: at(mid) },
    { ...r, startSec: at(mid + 1) },
  ];
}

/** The pieces' series joined into one per label set, their values in time order. */
export function joinSeries(pieces: readonly PromMatrixSeries[][]): PromMatrixSeries[] {
  const byLabels = new Map<string, PromMatrixSeries>();
  for (const piece of pieces) {
    for (const s of piece) {
      const key = JSON.stringify(Object.entries(s.metric).sort(([a], [b]) => (a < b ? -1 : 1)));
      const cur = byLabels.get(key);
      if (cur) cur.values.push(...s.values);
      else byLabels.set(key, { metric: s.metric, values: [...s.values] });
    }
  }
  for (const s of byLabels.values()) s.values.sort((a, b) => a[0] - b[0]);
  return [...byLabels.values()];
}

/** At most this many pieces per range query (six halvings): beyond, the store's refusal is the answer. */
export const MAX_PIECES = 64;

export interface RangeFitNote {
  /** pieces the range was asked in */
  pieces: number;
  reason: string;
}

/**
 * A range query asked whole, or in pieces when the store refuses it for its size; `noted` hears how it was split
 * (once, when it was). Any other failure, or one at a single instant, is thrown as is.
 */
export async function fittedRange(
  client: PromClient,
  r: RangeAsk,
  signal: AbortSignal | undefined,
  noted: (n: RangeFitNote) => void,
): Promise<PromMatrixSeries[]> {
  const reasons = new Set<string>();
  const pieces = { n: 1 };
  const ask = async (part: RangeAsk, depth: number): Promise<PromMatrixSeries[]> => {
    try {
      return await client.range(part.query, part.startSec, part.endSec, part.stepSec, signal);
    } catch (e) {
      const h = halves(part);
      if (!isOverLimit(e) || !h || 2 ** (depth + 1) > MAX_PIECES || signal?.aborted) throw e;
      reasons.add(reasonOf(e as PrometheusError));
      pieces.n++;
      // one half after the other: the store was short of memory or time for the whole
      const first = await ask(h[0], depth + 1);
      return joinSeries([first, await ask(h[1], depth + 1)]);
    }
  };
  const out = await ask(r, 0);
  if (pieces.n > 1) noted({ pieces: pieces.n, reason: [...reasons].join(', ') });
  return out;
}
