// A counter family's transitions worked out from its raw samples are exactly those Prometheus' transitions query
// answers, on a history made to catch the edge cases: jittered and missed scrapes, flat stretches, resets (to a
// lower value, to 0 and idle), gaps longer than the window, samples exactly on a window's ends, two series of one
// object, and Tempo's connection_info gauge going 1, 0 and away. The request rates worked out from the same samples
// are those of PromQL's rate(); the p95 asked without its sum is the summed one where figureCheck.ts says so.
import { startPrometheus, type RunningPrometheus, seededRandom } from '@timescope/common/testing';
import { ADAPTERS } from './adapters';
import { fetchPromClient, type PromClient, type PromMatrixSeries } from './promClient';
import { AT_LABEL, samplesQuery, statesQuery, transitionsQuery, type NamedInstant } from './queryBuilder';
import { timingFor } from './queryPlan';
import { unsummedDiffers } from './adapters/figureCheck';
import { figureGrid, figureWindowOf } from './adapters/figureGrid';
import type { FigureSeries } from './adapters/figures';
import { ratesFromSamples } from './adapters/sampleRates';
import { fromSamples, samplesPlanFor } from './samplePresence';
import { PROMETHEUS_2 } from './store';
import type { Grid } from './timeline';

jest.setTimeout(120_000);

const END = 1_764_000_000;
const S = END - 7200;
const SCRAPE_S = 15;
const COUNTER = 'traces_service_graph_request_total';
const INFO = 'traces_service_graph_connection_info';
const BUCKETS = 'traces_service_graph_request_server_seconds_bucket';

interface Written {
  metric: string;
  labels: Record<string, string>;
  /** [seconds, value] in time order */
  samples: [number, number][];
}

/** Scrapes every 15 s from S, `offset(k)` seconds late, skipped where `missed(k)`, valued by `next(previous)`. */
function scrapes(
  metric: string,
  labels: Record<string, string>,
  o: { offset?: (k: number) => number; missed?: (k: number) => boolean; next: (prev: number, k: number) => number },
): Written {
  const samples: [number, number][] = [];
  let v = 0;
  for (let k = 0; S + k * SCRAPE_S < END; k++) {
    v = o.next(v, k);
    if (o.missed?.(k)) continue;
    samples.push([S + k * SCRAPE_S + (o.offset?.(k) ?? 0), v]);
  }
  return { metric, labels, samples };
}

function history(): Written[] {
  const r = seededRandom(7);
  const edge = (client: string, connection = ''): Record<string, string> => ({
    client,
    server: 'db',
    connection_type: connection,
  });
  const jitter = (): number => Math.round(r() * 2500) / 1000;
  const jitters = Array.from({ length: 500 }, jitter);
  const bursts = Array.from({ length: 500 }, () => r() < 0.3);
  const holes = Array.from({ length: 500 }, () => r() < 0.15);
  return [
    scrapes(COUNTER, edge('steady'), { next: (v) => v + 1 }),
    // rises at a third of the scrapes: present and absent in turns
    scrapes(COUNTER, edge('bursty'), { offset: (k) => jitters[k], next: (v, k) => (bursts[k] ? v + 3 : v) }),
    // resets to a lower value every 37 scrapes; from scrape 300 it drops to 0 and stays there for a while
    scrapes(COUNTER, edge('resets'), {
      offset: (k) => jitters[(k * 7) % 500],
      next: (v, k) => (k >= 300 && k < 340 ? 0 : k % 37 === 0 ? 2 : v + (bursts[(k * 3) % 500] ? 5 : 0)),
    }),
    // missed scrapes, and two gaps longer than the increase window
    scrapes(COUNTER, edge('gaps'), {
      offset: (k) => jitters[(k * 11) % 500],
      missed: (k) => holes[k] || (k > 100 && k < 106) || (k > 200 && k < 230),
      next: (v) => v + 1,
    }),
    // 2 ms after each scrape: the left end of the window ending at a scrape four intervals later (Prometheus 2 keeps it)
    scrapes(COUNTER, edge('edges'), { offset: () => 0.002, next: (v, k) => (k % 4 === 0 ? v + 1 : v) }),
    // one object, two series: each active in its own stretches
    scrapes(COUNTER, edge('two', 'a'), { next: (v, k) => (Math.floor(k / 50) % 2 === 0 ? v + 1 : v) }),
    scrapes(COUNTER, edge('two', 'b'), {
      offset: () => 7.5,
      next: (v, k) => (Math.floor(k / 70) % 2 === 1 ? v + 1 : v),
    }),
    // requests until scrape 150, then sampled away: connection_info keeps it, 0 from scrape 300, gone from 400
    scrapes(COUNTER, edge('sampled'), { missed: (k) => k >= 150, next: (v) => v + 1 }),
    scrapes(INFO, edge('sampled'), {
      offset: (k) => jitters[k],
      missed: (k) => k >= 400,
      next: (_, k) => (k < 300 ? 1 : 0),
    }),
    // connection_info only, blinking
    scrapes(INFO, edge('info-only'), { missed: (k) => holes[(k * 5) % 500], next: (_, k) => (bursts[k] ? 0 : 1) }),
    // latency buckets: one histogram for `steady`, two for `two` (apart by connection_type) rising at once
    ...(['0.1', '0.5', '+Inf'] as const).flatMap((le, i) => [
      scrapes(BUCKETS, { ...edge('steady'), le }, { next: (v, k) => v + (k % (3 - i) === 0 ? 1 : 0) + i }),
      scrapes(BUCKETS, { ...edge('two', 'a'), le }, { next: (v) => v + 1 + i }),
      scrapes(BUCKETS, { ...edge('two', 'b'), le }, { offset: () => 7.5, next: (v, k) => v + (k % 2) + 2 * i }),
    ]),
  ];
}

function openMetrics(series: readonly Written[]): string {
  const lines: string[] = [];
  for (const metric of [COUNTER, INFO, BUCKETS]) {
    lines.push(`# TYPE ${metric} gauge`);
    for (const s of series.filter((x) => x.metric === metric)) {
      const labels = Object.entries(s.labels)
        .map(([k, v]) => `${k}="${v}"`)
        .join(',');
      for (const [t, v] of s.samples) lines.push(`${metric}{${labels}} ${v} ${t.toFixed(3)}`);
    }
  }
  lines.push('# EOF', '');
  return lines.join('\n');
}

let prom: RunningPrometheus | undefined;
let client: PromClient;

beforeAll(async () => {
  prom = await startPrometheus({ openMetrics: openMetrics(history()) });
  client = fetchPromClient({ url: prom.url });
});
afterAll(async () => prom?.stop());

const family = ADAPTERS.tempo.family(COUNTER, 'service');
const timing = timingFor(PROMETHEUS_2, SCRAPE_S * 1000);

/** Rows as `client: +t -t ...` (seconds after S), sorted; the instants after the grid's start only. */
function described(rows: readonly PromMatrixSeries[], grid: Grid): string[] {
  return rows
    .map((r) => {
      const changes = r.values
        .filter(([t]) => Math.round(t * 1000) > grid.fromMs)
        .map(([t, v]) => `${Number(v) > 0 ? '+' : '-'}${(t - S).toFixed(3)}`);
      return `${r.metric.client}: ${changes.join(' ')}`;
    })
    .filter((line) => !line.endsWith(': '))
    .sort();
}

const GRIDS: Grid[] = [
  { fromMs: (S + 600) * 1000, toMs: (S + 6600) * 1000, stepMs: 15_000 },
  { fromMs: (S + 600) * 1000 + 2, toMs: (S + 6600) * 1000, stepMs: 15_000 },
  { fromMs: (S + 307.5) * 1000, toMs: (S + 7000) * 1000, stepMs: 30_000 },
  { fromMs: (S + 1000) * 1000, toMs: (S + 5000) * 1000 + 500, stepMs: 7_000 },
  { fromMs: (S + 3000) * 1000, toMs: (S + 4000) * 1000, stepMs: 1_000 },
];

describe('transitions from raw samples', () => {
  it.each(GRIDS.map((g) => [`${g.stepMs / 1000} s step from S + ${(g.fromMs / 1000 - S).toFixed(3)} s`, g] as const))(
    'are those of the transitions query, the states those of the states query (%s)',
    async (_name, grid) => {
      // the named instants: the start, one between two grid instants, the end
      const instants: NamedInstant[] = [
        { name: 'from', sec: grid.fromMs / 1000 },
        { name: 'at', sec: (grid.fromMs + Math.round((grid.toMs - grid.fromMs) / 3) + 7) / 1000 },
        { name: 'to', sec: grid.toMs / 1000 },
      ];
      const plan = samplesPlanFor(family, timing, PROMETHEUS_2, SCRAPE_S * 1000, grid, instants);
      if (!plan?.also || !plan.states || !family.alsoPresent)
        throw new Error('expected a samples plan with the gauge and the states');
      const toSec = grid.toMs / 1000;
      const own = await client.samples(samplesQuery(family.selector, plan.own.rangeMs), toSec);
      const also = await client.samples(samplesQuery(family.alsoPresent, plan.also.rangeMs), toSec);
      const derived = fromSamples(family, plan, grid, own, also);
      const step = grid.stepMs / 1000;
      const asked = await client.range(transitionsQuery(family, timing, grid.stepMs), grid.fromMs / 1000, toSec, step);
      const expected = described(asked, grid);
      // most of the objects change in the range
      expect(expected.length).toBeGreaterThanOrEqual(5);
      expect(described(derived.transitions, grid)).toEqual(expected);
      // and the states at the named instants are those of the states query
      const state = (rows: readonly { metric: Record<string, string> }[]): string[] =>
        rows.map((r) => `${r.metric[AT_LABEL]} ${r.metric.client}`).sort();
      const states = await client.instant(statesQuery(family, timing, instants), toSec);
      expect(states.length).toBeGreaterThan(5);
      expect(state(derived.states)).toEqual(state(states));
    },
  );
});

/** Rows as `<client>/<connection_type> <step>: value`, one line per value, sorted. */
function valuesOf(rows: readonly FigureSeries[], figures: Grid): string[] {
  return rows
    .flatMap((r) =>
      r.values.map(([t, v]) => {
        const k = Math.round((t * 1000 - figures.fromMs) / figures.stepMs);
        return `${r.metric.client}/${r.metric.connection_type ?? ''} ${k}: ${Number(v).toPrecision(12)}`;
      }),
    )
    .sort();
}

describe('L7 figures without their costliest queries', () => {
  const by = ADAPTERS.tempo.family(COUNTER, 'service').by;
  const rangeOn = (q: string, g: Grid): Promise<PromMatrixSeries[]> =>
    client.range(q, g.fromMs / 1000, g.toMs / 1000, g.stepMs / 1000);

  it.each(GRIDS.map((g) => [`${g.stepMs / 1000} s step from S + ${(g.fromMs / 1000 - S).toFixed(3)} s`, g] as const))(
    "request rates from the raw samples are PromQL's rate() summed by the family's labels (%s)",
    async (_name, grid) => {
      const figures = figureGrid(grid, SCRAPE_S * 1000);
      const w = figureWindowOf(figures, PROMETHEUS_2.bounds);
      const samples = await client.samples(samplesQuery(COUNTER, grid.toMs - figures.fromMs + w), grid.toMs / 1000);
      const derived = ratesFromSamples(samples, by, figures, w, PROMETHEUS_2.bounds);
      const asked = await rangeOn(`sum by (${by.join(', ')}) (rate(${COUNTER}[${w}ms]))`, figures);
      expect(asked.length).toBeGreaterThanOrEqual(5);
      expect(valuesOf(derived, figures)).toEqual(valuesOf(asked, figures));
    },
  );

  it('the p95 without the sum is the summed one where no two histograms of an edge meet, and says where they do', async () => {
    const figures = figureGrid(GRIDS[0], SCRAPE_S * 1000);
    const w = `[${figureWindowOf(figures, PROMETHEUS_2.bounds)}ms]`;
    const summed = (sel: string) =>
      rangeOn(`histogram_quantile(0.95, sum by (${by.join(', ')}, le) (rate(${sel}${w})))`, figures);
    const unsummed = (sel: string) => rangeOn(`histogram_quantile(0.95, rate(${sel}${w}))`, figures);
    const steady = `${BUCKETS}{client="steady"}`;
    const one = await unsummed(steady);
    expect(unsummedDiffers(one, by)).toBe(false);
    expect(valuesOf(one, figures).map((l) => l.replace('steady/', ''))).toEqual(
      valuesOf(await summed(steady), figures).map((l) => l.replace('steady/', '')),
    );
    const both = await unsummed(BUCKETS);
    expect(unsummedDiffers(both, by)).toBe(true);
    expect(
      unsummedDiffers(
        both.filter((r) => r.metric.connection_type !== 'b'),
        by,
      ),
    ).toBe(false);
  });
});
