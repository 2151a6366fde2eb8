// Transitions from raw samples (the judgement of each window; samplePresence.prometheus.test.ts compares them with
// Prometheus' own transitions query).
import { ADAPTERS } from './adapters';
import type { PromMatrixSeries } from './promClient';
import { timingFor } from './queryPlan';
import { samplesPlanFor, transitionsFromSamples } from './samplePresence';
import { storeOf } from './store';
import type { Grid } from './timeline';

const S = 1_000_000; // seconds
const tempo = ADAPTERS.tempo.family('traces_service_graph_request_total', 'service');
const p2 = storeOf('prometheus-2');
const p3 = storeOf('prometheus-3');
const grid: Grid = { fromMs: S * 1000, toMs: (S + 300) * 1000, stepMs: 15_000 };
const plan = (store = p2, g = grid) => {
  const p = samplesPlanFor(tempo, timingFor(store, 15_000), store, 15_000, g);
  if (!p) throw new Error('no samples plan');
  return p;
};
const series = (labels: Record<string, string>, samples: [number, number][]): PromMatrixSeries => ({
  metric: { __name__: 'traces_service_graph_request_total', connection_type: '', ...labels },
  values: samples.map(([t, v]) => [t, String(v)]),
});
const edge = { client: 'a', server: 'b' };
/** the transitions as `+t` / `-t` seconds after S */
const changes = (rows: PromMatrixSeries[]): string[][] =>
  rows.map((r) => r.values.map(([t, v]) => `${Number(v) > 0 ? '+' : '-'}${t - S}`));

describe('samplesPlanFor', () => {
  it('reads the samples of a counter family on a grid no coarser than the lookback, on Prometheus', () => {
    const p = plan();
    // the increase window (two lookbacks) before the start, and the gauge's lookback
    expect(p.own).toEqual({ rangeMs: 300_000 + 59_998, windowMs: 59_998, presence: 'increase' });
    expect(p.also).toEqual({ rangeMs: 300_000 + 29_999, windowMs: 29_999, presence: 'positive' });
    expect(plan(p3).own.windowMs).toBe(60_000);
  });

  it('leaves the range query to a coarse grid, a gauge family and VictoriaMetrics', () => {
    const t = timingFor(p2, 15_000);
    expect(samplesPlanFor(tempo, t, p2, 15_000, { ...grid, stepMs: 31_000 })).toBeUndefined();
    expect(samplesPlanFor({ ...tempo, presence: 'positive' }, t, p2, 15_000, grid)).toBeUndefined();
    const vm = storeOf('victoriametrics');
    expect(samplesPlanFor(tempo, timingFor(vm, 15_000), vm, 15_000, grid)).toBeUndefined();
  });
});

describe('transitionsFromSamples', () => {
  it('a counter is present while a window holds two samples with a rise between them', () => {
    // rises up to S + 60, flat until S + 150, rises again from S + 165
    const s = series(edge, [
      [S - 45, 1],
      [S - 30, 2],
      [S - 15, 3],
      [S, 4],
      [S + 15, 5],
      [S + 30, 6],
      [S + 45, 7],
      [S + 60, 8],
      ...[75, 90, 105, 120, 135, 150].map((d): [number, number] => [S + d, 8]),
      [S + 165, 9],
      [S + 180, 10],
    ]);
    const rows = transitionsFromSamples(tempo, plan(), grid, [s]);
    // [S + 105 - 59.998, S + 105] holds 8 only; S + 165 rose from S + 150; after S + 210 one sample is left
    expect(changes(rows)).toEqual([['-105', '+165', '-225']]);
    expect(rows[0].metric).toEqual({ client: 'a', server: 'b' });
  });

  it('counts a reset as a rise from 0, but not a drop to 0 that stays there', () => {
    const rows = transitionsFromSamples(tempo, plan(), grid, [
      series(edge, [
        [S - 15, 5],
        [S, 6],
        [S + 15, 2], // reset, then counting again: present
        [S + 30, 3],
        [S + 45, 4],
      ]),
      series({ client: 'c', server: 'd' }, [
        [S - 15, 5],
        [S, 6],
        [S + 15, 0], // reset to 0 and idle: 0 - 6 + 6 = 0 once the window has lost S - 15
        [S + 30, 0],
        [S + 45, 0],
      ]),
    ]);
    // the first: one sample left in the window at S + 90
    expect(changes(rows)).toEqual([['-90'], ['-45']]);
  });

  it('one sample is no increase; a gap longer than the window makes it absent', () => {
    const rows = transitionsFromSamples(tempo, plan(), grid, [
      series(edge, [
        [S - 15, 1],
        [S, 2],
        [S + 150, 3], // alone in its windows
        [S + 165, 4],
      ]),
    ]);
    expect(changes(rows)).toEqual([['-45', '+165', '-210']]);
  });

  it("Prometheus 2's windows hold their left end, Prometheus 3's do not", () => {
    const first = S + 30 - 59.998; // exactly the left end of the window ending at S + 30 on Prometheus 2
    const s = series(edge, [
      [first, 1],
      [S + 30, 2],
    ]);
    const g: Grid = { fromMs: S * 1000, toMs: (S + 60) * 1000, stepMs: 15_000 };
    expect(changes(transitionsFromSamples(tempo, plan(p2, g), g, [s]))).toEqual([['+30', '-45']]);
    const open = { ...s, values: s.values.map(([t, v]): [number, string] => [t === first ? S - 30 : t, v]) };
    expect(changes(transitionsFromSamples(tempo, plan(p3, g), g, [open]))).toEqual([]);
    const inside = { ...s, values: s.values.map(([t, v]): [number, string] => [t === first ? S - 29.999 : t, v]) };
    expect(changes(transitionsFromSamples(tempo, plan(p3, g), g, [inside]))).toEqual([['+30', '-45']]);
  });

  it('the also-present gauge keeps an object present while positive; series of one object are one', () => {
    const gauge: PromMatrixSeries = {
      metric: { __name__: 'traces_service_graph_connection_info', ...edge },
      values: [1, 1, 0, 0, 0].map((v, i) => [S + 30 + 15 * i, String(v)]),
    };
    const rows = transitionsFromSamples(
      tempo,
      plan(),
      grid,
      [
        series(edge, [
          [S - 15, 1],
          [S, 2],
        ]),
        series({ ...edge, connection_type: 'database' }, [
          [S + 200, 1],
          [S + 215, 2],
        ]),
      ],
      [gauge],
    );
    // the counter until S + 30, the gauge's 1 at S + 45 (its last sample in the lookback is 0 from S + 60); the
    // other series from the first grid instant after its second sample
    expect(changes(rows)).toEqual([['-60', '+225', '-270']]);
  });

  it('reads the values Prometheus writes for infinities and NaN', () => {
    const rows = transitionsFromSamples(tempo, plan(), grid, [
      {
        metric: edge,
        values: [
          [S - 15, '1'],
          [S, '+Inf'],
          [S + 15, 'NaN'],
        ],
      },
    ]);
    // a NaN in the window makes the increase NaN: not > 0
    expect(changes(rows)).toEqual([['-15']]);
  });
});
