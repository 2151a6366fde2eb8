// Long ranges without the presence rule, on stores with small limits: a real Prometheus started with a small
// `--query.max-samples` refuses the whole range query, so the datasource asks it in pieces and gives the frames of
// an unlimited Prometheus, with a warning saying so (VictoriaMetrics' -search.maxSamplesPerQuery counts the whole
// blocks a selector reads, up to 8,192 samples a series: a split helps there only over ranges of several blocks); a VictoriaMetrics answering few points per series (`-search.maxPointsPerTimeseries`) gets a coarser
// step, the frames those of an unlimited store asked at that step, and a warning naming both steps.
import type { DataFrame } from '@grafana/data';
import { startPrometheus, startVictoriaMetrics, type RunningPrometheus } from '@timescope/common/testing';
import { fetchPromClient } from './promClient';
import type { TopologyRequest } from './queryPlan';
import { runTopology } from './run';
import { detectStore } from './store';

jest.setTimeout(240_000);

const H = 3600;
const END = 1_764_000_000;
const START = END - 24 * H;
const SCRAPE_S = 60;
const SERVICES = 120;
const EDGES = 400;

/** A day of services and edges scraped every minute; a third of each come and go at their own times. */
function history(): string {
  const lines: string[] = [];
  const life = (i: number): [number, number] =>
    i % 3 === 0 ? [START + ((i * 7919) % 20) * H, START + ((i * 7919) % 20) * H + (1 + (i % 5)) * H] : [START, END + 1];
  const id = (i: number): string => `service:ns-${i % 4}/svc-${i}`;
  lines.push('# TYPE timescope_k8s_service_info gauge');
  for (let i = 0; i < SERVICES; i++) {
    const [a, b] = life(i);
    const l = `node="${id(i)}",kind="service",name="svc-${i}",namespace="ns-${i % 4}",host=""`;
    for (let t = START; t <= END; t += SCRAPE_S)
      if (t >= a && t < b) lines.push(`timescope_k8s_service_info{${l}} 1 ${t}`);
  }
  lines.push('# TYPE timescope_edge_connections gauge');
  for (let e = 0; e < EDGES; e++) {
    const [a, b] = life(e + 1);
    const l = `kind="service",source="${id(e % SERVICES)}",target="${id((e + 1 + Math.floor(e / SERVICES)) % SERVICES)}",port="${8000 + e}",host=""`;
    for (let t = START; t <= END; t += SCRAPE_S)
      if (t >= a && t < b) lines.push(`timescope_edge_connections{${l}} 2 ${t}`);
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

const stores: Record<string, RunningPrometheus> = {};
const OM = history();

beforeAll(async () => {
  const [free, tight, vmFree, vmFewPoints] = await Promise.all([
    startPrometheus({ openMetrics: OM }),
    startPrometheus({ openMetrics: OM, flags: ['--query.max-samples=100000'] }),
    startVictoriaMetrics({ openMetrics: OM }),
    startVictoriaMetrics({ openMetrics: OM, flags: ['-search.maxPointsPerTimeseries=500'] }),
  ]);
  Object.assign(stores, { free, tight, vmFree, vmFewPoints });
});
afterAll(async () => {
  await Promise.all(Object.values(stores).map((s) => s.stop()));
});

function req(over: Partial<TopologyRequest> = {}): TopologyRequest {
  return {
    view: 'service',
    mode: 'range',
    filters: {},
    groupBy: 'none',
    edgeSource: 'timescope',
    fromMs: START * 1000,
    toMs: END * 1000,
    stepMs: SCRAPE_S * 1000,
    scrapeIntervalMs: SCRAPE_S * 1000,
    usePresenceRule: false,
    ...over,
  };
}

async function framesOf(store: RunningPrometheus, r: TopologyRequest = req()) {
  const client = fetchPromClient({ url: store.url });
  const caps = await detectStore(client);
  const out = await runTopology(client, r, 'A', [], undefined, caps);
  if (out.error) throw new Error(out.error.message);
  const notices = (out.frames[0]?.meta?.notices ?? []).map((n) => n.text);
  return { frames: out.frames.map(withoutNotices), notices, requests: client.requests };
}

/** A frame as the user reads it: its name, fields and rows (in any order: pieces answer series in their own). */
function withoutNotices(f: DataFrame): { name?: string; fields: string[]; rows: string[] } {
  const rows = Array.from({ length: f.length }, (_, i) => JSON.stringify(f.fields.map((x) => x.values[i])));
  return { name: f.name, fields: f.fields.map((x) => x.name), rows: rows.sort() };
}

describe('a range query the store refuses for its size is asked in pieces', () => {
  it('Prometheus, --query.max-samples=100000: the frames of an unlimited Prometheus, and a warning', async () => {
    const whole = await framesOf(stores.free);
    const pieces = await framesOf(stores.tight);
    expect(whole.notices).toEqual([]);
    expect(pieces.notices.join('\n')).toMatch(
      /^The range query edges\.transitions was asked in \d+ requests \(the store refused the whole range: too many samples\); same step, same results\.$/m,
    );
    expect(pieces.requests).toBeGreaterThan(whole.requests);
    // what the user sees: the same nodes, edges and timeline rows
    expect(whole.frames[0].rows).toHaveLength(SERVICES);
    expect(whole.frames[1].rows).toHaveLength(EDGES);
    expect(pieces.frames).toEqual(whole.frames);
  });
});

describe('a store answering few points per series gets a coarser step', () => {
  it('VictoriaMetrics, -search.maxPointsPerTimeseries=500: the step of 500 points, said in a warning', async () => {
    const coarse = await framesOf(stores.vmFewPoints);
    expect(coarse.notices).toContain(
      'Step coarsened from 60 s to 174 s: the store answers at most 500 points per series (1,441 asked).',
    );
    const reference = await framesOf(stores.vmFree, req({ stepMs: 174_000 }));
    expect(coarse.frames).toEqual(reference.frames);
  });
});
