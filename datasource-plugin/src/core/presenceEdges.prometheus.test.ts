// The presence rule's path and the raw path agree to the millisecond at the lookback's edges (issue 17): samples
// 29.999 s and 30 s before a grid instant, a first sample on a grid instant and 1 ms after it, a lone sample, and a
// range whose end is not on the grid (the timeline then has a row for what is present only at the end). A real
// Prometheus holds the samples; promtool evaluates the rule over them as a live Prometheus would have.
import { PRESENCE_CHANGES, presenceRuleGroup } from '@timescope/common';
import { startPrometheus, type RunningPrometheus } from '@timescope/common/testing';
import { topologyFrames } from './dataFrames';
import { fetchPromClient, type PromClient } from './promClient';
import { buildTopology, type Topology, type TopologyRequest } from './topology';

jest.setTimeout(180_000);

const G = 1_764_000_000; // a grid instant (s); the grid runs every 60 s from F
const F = G - 1800;
const END = G + 1800;

/** service `name`: samples every 15 s from `firstSec` while <= `lastSec` */
interface Lived {
  name: string;
  firstSec: number;
  lastSec: number;
}
const LIVES: Lived[] = [
  { name: 'steady', firstSec: F - 600, lastSec: END + 600 },
  // 160 samples ending exactly on their last one
  { name: 'gone-29999', firstSec: G - 29.999 - 2400, lastSec: G - 29.999 },
  { name: 'gone-30000', firstSec: G - 30 - 2400, lastSec: G - 30 },
  { name: 'gone-29999-next', firstSec: G + 60 - 29.999 - 2400, lastSec: G + 60 - 29.999 },
  { name: 'born-on-g', firstSec: G, lastSec: END + 600 },
  { name: 'born-after-g', firstSec: G + 0.001, lastSec: END + 600 },
  { name: 'lone-at-edge', firstSec: G - 29.999, lastSec: G - 29.999 },
  { name: 'lone-between', firstSec: G + 20, lastSec: G + 20 },
  { name: 'late', firstSec: G + 1200 + 25, lastSec: END + 600 },
];

function openMetrics(): string {
  const lines = ['# TYPE timescope_service_info gauge'];
  for (const l of LIVES) {
    const labels = `node="service:ns/${l.name}",kind="service",name="${l.name}",namespace="ns",parent="namespace:ns"`;
    for (let t = l.firstSec; t <= l.lastSec + 1e-9; t += 15)
      lines.push(`timescope_service_info{${labels}} 1 ${t.toFixed(3)}`);
  }
  return `${lines.join('\n')}\n# EOF\n`;
}

let prom: RunningPrometheus;
let client: PromClient;
let queries: string[] = [];

beforeAll(async () => {
  prom = await startPrometheus({
    openMetrics: openMetrics(),
    recordingRules: { rules: presenceRuleGroup(15), startSec: F - 300, endSec: END + 300 },
  });
  const inner = fetchPromClient({ url: prom.url });
  const seen = (q: string): void => void queries.push(q);
  client = {
    instant: (q, t, s) => (seen(q), inner.instant(q, t, s)),
    samples: (q, t, s) => (seen(q), inner.samples(q, t, s)),
    range: (q, a, b, st, s) => (seen(q), inner.range(q, a, b, st, s)),
  };
});
afterAll(async () => prom?.stop());

const request = (over: Partial<TopologyRequest> = {}): TopologyRequest => ({
  view: 'service',
  mode: 'range',
  filters: {},
  groupBy: 'none',
  edgeSource: 'timescope',
  fromMs: F * 1000,
  toMs: END * 1000,
  stepMs: 60_000,
  scrapeIntervalMs: 15_000,
  ...over,
});

const summary = (t: Topology): Record<string, string> =>
  Object.fromEntries(t.nodes.map((n) => [n.id, JSON.stringify([n.intervals, [...n.at].sort()])]));

async function both(req: TopologyRequest): Promise<{ fast: Topology; raw: Topology }> {
  queries = [];
  const fast = await buildTopology(client, req);
  expect(queries.some((q) => q.includes(PRESENCE_CHANGES))).toBe(true);
  const raw = await buildTopology(client, { ...req, usePresenceRule: false });
  return { fast, raw };
}

const intervalsOf = (t: Topology, name: string): unknown =>
  t.nodes.find((n) => n.id === `service:ns/${name}`)?.intervals;

describe('the rule and the raw series at the edges of the lookback', () => {
  it('agree on every node, and the edge cases fall where the lookback puts them', async () => {
    const { fast, raw } = await both(request());
    expect(summary(fast)).toEqual(summary(raw));
    const ms = (s: number): number => s * 1000;
    // last sample 29.999 s before G: still present at G (the window is [G - 29.999 s, G] on Prometheus 2.x)
    expect(intervalsOf(raw, 'gone-29999')).toEqual([[ms(F), ms(G)]]);
    expect(intervalsOf(raw, 'gone-30000')).toEqual([[ms(F), ms(G - 60)]]);
    expect(intervalsOf(raw, 'gone-29999-next')).toEqual([[ms(F), ms(G + 60)]]);
    expect(intervalsOf(raw, 'born-on-g')).toEqual([[ms(G), ms(END)]]);
    expect(intervalsOf(raw, 'born-after-g')).toEqual([[ms(G + 60), ms(END)]]);
    expect(intervalsOf(raw, 'lone-at-edge')).toEqual([[ms(G), ms(G)]]);
  });

  it('agree when the range ends off the grid, and the timeline has a row for what is present only at the end', async () => {
    const toSec = G + 1200 + 30; // 30 s after a grid instant; `late` appears 5 s before it
    const { fast, raw } = await both(request({ toMs: toSec * 1000 }));
    expect(summary(fast)).toEqual(summary(raw));
    const late = raw.nodes.find((n) => n.id === 'service:ns/late');
    expect(late?.at.has('to')).toBe(true);
    expect(late?.intervals).toEqual([[toSec * 1000, toSec * 1000]]);
    const [nodes, , timeline] = topologyFrames(raw, 'A');
    const ids = (f: typeof nodes | undefined): unknown[] => f?.fields.find((x) => x.name === 'id')?.values ?? [];
    for (const id of ids(nodes)) expect(ids(timeline)).toContain(id);
  });
});
