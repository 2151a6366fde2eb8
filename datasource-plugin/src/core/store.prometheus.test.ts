// The store differences handled in code (issue 17), against a real Prometheus 2.42 and a real VictoriaMetrics
// 1.79 holding the same samples: detection, the range selector's bounds at the lookback's edge, a series whose
// first sample lies on the instant, increase_prometheus() for counters, and the health check's latency warning.
import {
  queryInstant,
  startPrometheus,
  startVictoriaMetrics,
  type RunningPrometheus,
  type RunningVictoriaMetrics,
} from '@timescope/common/testing';
import { checkHealth } from './health';
import { fetchPromClient } from './promClient';
import { presentExpr, seriesFamily } from './queryBuilder';
import { cellTimingFor, timingFor } from './queryPlan';
import { detectStore, storeOf, type StoreCapabilities } from './store';

jest.setTimeout(120_000);

const T0 = 1_764_000_000; // the first sample (s)
const LAST = T0 + 60; // the last sample
const samples = [
  '# TYPE probe_info gauge',
  ...[0, 15, 30, 45, 60].map((d) => `probe_info{k="a"} 1 ${T0 + d}`),
  '# TYPE probe_requests counter',
  ...[0, 15, 30, 45, 60].map((d, i) => `probe_requests_total{k="a"} ${10 * i + 3} ${T0 + d}`),
  '# TYPE probe_conns gauge',
  // positive at T0 and T0 + 15, 0 from T0 + 30: present at [T0, T0 + 30) by the instant's rule
  ...[0, 15, 30, 45, 60].map((d) => `probe_conns{k="a"} ${d < 30 ? 2 : 0} ${T0 + d}`),
  '# EOF',
].join('\n');

let prom: RunningPrometheus;
let vm: RunningVictoriaMetrics;
let stores: { name: string; url: string; store: StoreCapabilities }[];

beforeAll(async () => {
  [prom, vm] = await Promise.all([
    startPrometheus({ openMetrics: `${samples}\n` }),
    startVictoriaMetrics({ openMetrics: samples }),
  ]);
  const [p, v] = await Promise.all([
    detectStore(fetchPromClient({ url: prom.url })),
    detectStore(fetchPromClient({ url: vm.url })),
  ]);
  stores = [
    { name: 'Prometheus', url: prom.url, store: p },
    { name: 'VictoriaMetrics', url: vm.url, store: v },
  ];
});
afterAll(async () => {
  await Promise.all([prom?.stop(), vm?.stop()]);
});

describe('store detection', () => {
  it('reads Prometheus 2.x from its build info, with its limits from its flags', () => {
    const p = stores[0].store;
    expect(p).toMatchObject({ kind: 'prometheus-2', bounds: 'closed', increase: 'increase', source: 'buildinfo' });
    expect(p.version).toMatch(/^2\./);
    expect(p.limits).toMatchObject({ maxSamples: 50_000_000, timeoutMs: 120_000 });
  });

  it('tells VictoriaMetrics (no version in its build info) by a MetricsQL-only query, with its flags', () => {
    expect(stores[1].store).toMatchObject({
      kind: 'victoriametrics',
      bounds: 'left-open',
      increase: 'increase_prometheus',
      source: 'probe',
      latencyOffsetMs: 0,
    });
  });

  it('takes the setting over the detection', async () => {
    const s = await detectStore(fetchPromClient({ url: prom.url }), 'prometheus-3');
    expect(s).toMatchObject({ kind: 'prometheus-3', bounds: 'left-open', source: 'setting' });
  });
});

const family = seriesFamily(['probe_info'], [], { by: ['k'], presence: 'sample', value: 'group' });
const present = async (url: string, store: StoreCapabilities, atSec: number): Promise<boolean> => {
  const q = presentExpr(family, timingFor(store, 15_000));
  return (await fetchPromClient({ url }).instant(q, atSec)).length > 0;
};

describe('present at T: a sample in (T - 30 s, T] on every store', () => {
  it.each([
    ['on the last sample', LAST, true],
    ['29.999 s after the last sample', LAST + 29.999, true],
    ['30 s after the last sample', LAST + 30, false],
    ['on the first sample (VictoriaMetrics 1.79.5 returns it too, see docs/time-travel.md)', T0, true],
    ['1 ms before the first sample', T0 - 0.001, false],
  ])('%s', async (_what, atSec, expected) => {
    for (const s of stores) expect([s.name, await present(s.url, s.store, atSec)]).toEqual([s.name, expected]);
  });

  it("differs without the store's window: Prometheus 2's 29999ms misses the edge sample on VictoriaMetrics", async () => {
    const q = presentExpr(family, timingFor(storeOf('prometheus-2'), 15_000));
    expect(await queryInstant(prom, q, LAST + 29.999)).toHaveLength(1);
    expect(await queryInstant(vm, q, LAST + 29.999)).toHaveLength(0);
  });
});

describe('in a 600 s grid cell ending at g: present at some instant of [g - 570 s, g], on every store', () => {
  const gauge = seriesFamily(['probe_conns'], [], { by: ['k'], presence: 'positive', value: 'sum' });
  const inCell = async (f: typeof family, url: string, store: StoreCapabilities, atSec: number): Promise<boolean> => {
    const q = presentExpr(f, cellTimingFor(store, 15_000, 600_000));
    return (await fetchPromClient({ url }).instant(q, atSec)).length > 0;
  };

  it.each([
    // a series: a sample in (g - 600 s, g]
    ['a series, its last sample 599.999 s before g', family, LAST + 599.999, true],
    ['a series, its last sample 600 s before g (in the cell before)', family, LAST + 600, false],
    ['a series, its first sample on g', family, T0, true],
    ['a series, its first sample 1 ms after g', family, T0 - 0.001, false],
    // a gauge: positive at g - 570 s, or a positive sample after it
    ['a gauge, positive 1 ms before the cell`s first instant turned it 0', gauge, T0 + 599.999, true],
    ['a gauge, 0 from the cell`s first instant on', gauge, T0 + 600, false],
    ['a gauge, its first positive sample on g', gauge, T0, true],
  ])('%s', async (_what, f, atSec, expected) => {
    for (const s of stores) expect([s.name, await inCell(f, s.url, s.store, atSec)]).toEqual([s.name, expected]);
  });
});

describe("counters' presence: an increase over two lookbacks", () => {
  const counter = seriesFamily(['probe_requests_total'], [], { by: ['k'], presence: 'increase', value: 'sum' });
  const rows = async (url: string, store: StoreCapabilities, atSec: number): Promise<number> =>
    (await fetchPromClient({ url }).instant(presentExpr(counter, timingFor(store, 15_000)), atSec)).length;

  it.each([
    ['two samples in the window', LAST + 5, 1],
    // MetricsQL's increase() also counts from the sample before the window: one sample inside is enough for it
    ['one sample in the window', LAST + 45, 0],
  ])('%s: the same on both stores (increase_prometheus() on VictoriaMetrics)', async (_what, atSec, expected) => {
    for (const s of stores) expect([s.name, await rows(s.url, s.store, atSec)]).toEqual([s.name, expected]);
    const plain = presentExpr(counter, { lookbackMs: 30_000, increase: 'increase' });
    if (expected === 0) expect(await queryInstant(vm, plain, atSec)).toHaveLength(1);
  });
});

describe('the health check', () => {
  it('warns when VictoriaMetrics hides recent samples (-search.latencyOffset not 0s)', async () => {
    const lagging = await startVictoriaMetrics({ flags: ['-search.latencyOffset=30s'] });
    try {
      const now = Math.floor(Date.now() / 1000);
      await lagging.importOpenMetrics(`timescope_host_info{node="host:a"} 1 ${now - 60}\n# EOF\n`);
      const h = await checkHealth(fetchPromClient({ url: lagging.url }), lagging.url);
      expect(h.status).toBe('success');
      expect(h.message).toMatch(/^Connected to VictoriaMetrics: 1 timescope_ metrics, 1 series\. Warning: /);
      expect(h.message).toContain('-search.latencyOffset=30s');
      expect(h.message).toContain('start it with -search.latencyOffset=0s');
      const ok = await checkHealth(fetchPromClient({ url: vm.url }), vm.url);
      expect(ok.message).not.toContain('Warning');
    } finally {
      await lagging.stop();
    }
  });
});
