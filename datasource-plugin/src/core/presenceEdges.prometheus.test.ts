// The presence rule's path and the raw path give the same frames to the millisecond at the lookback's and the grid
// cells' edges (issue 17): samples 29.999 s and 30 s before a grid instant, a first sample on a grid instant and 1 ms
// after it, lone samples between grid instants, on one and just after the previous one, a connection gauge dropping
// to 0 at a cell's first instant, 1 ms after it and on a grid instant, a batch job between two 600 s grid instants
// (in range mode, the timeline and the diff's in-between list), and ranges whose end is not on the grid (the
// timeline then has a row for what is present only at the end). A real
// Prometheus holds the samples; promtool evaluates the rule over them as a live Prometheus would have.
import { PRESENCE_CHANGES, presenceRuleGroup } from '@timescope/common';
import { startPrometheus, type RunningPrometheus } from '@timescope/common/testing';
import type { DataFrame } from '@grafana/data';
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
  // lone samples on the 600 s grid's instant G, and just after its previous instant
  { name: 'lone-on-g', firstSec: G, lastSec: G },
  { name: 'lone-after-prev', firstSec: G - 600 + 0.001, lastSec: G - 600 + 0.001 },
  { name: 'late', firstSec: G + 1200 + 25, lastSec: END + 600 },
  // a batch job that ran for 5 minutes between the 600 s grid's instants G and G + 600
  { name: 'batch', firstSec: G + 100, lastSec: G + 400 },
  // another one between G + 1200 and an end off that grid at G + 1500
  { name: 'end-batch', firstSec: G + 1250, lastSec: G + 1400 },
];

/**
 * Connections (a gauge) from `steady` to a service: every 15 s from `firstSec` positive while before `zeroSec`,
 * then 0 every 15 s from `zeroSec` up to `lastSec` (its edge ends at the first 0, by the instant's rule).
 */
interface Connected {
  to: string;
  firstSec: number;
  zeroSec: number;
  lastSec: number;
}
const CONNECTIONS: Connected[] = [
  { to: 'born-on-g', firstSec: F - 600, zeroSec: END + 900, lastSec: END + 900 },
  // on the 600 s grid the cell of G holds the instants [G - 570 s, G]: a 0 1 ms after its first one, or on it
  { to: 'gone-29999', firstSec: G - 569.999 - 2400, zeroSec: G - 569.999, lastSec: G - 300 },
  { to: 'gone-30000', firstSec: G - 570 - 2400, zeroSec: G - 570, lastSec: G - 300 },
  // a connection open for 3 minutes between two 600 s grid instants
  { to: 'batch', firstSec: G + 150, zeroSec: G + 330, lastSec: G + 390 },
  // a 0 exactly on a grid instant, and 29.999 s before one
  { to: 'gone-29999-next', firstSec: F - 600, zeroSec: G, lastSec: G + 300 },
  { to: 'late', firstSec: G + 1230, zeroSec: G + 1800 - 29.999, lastSec: END + 600 },
];

function openMetrics(): string {
  const lines = ['# TYPE timescope_service_info gauge'];
  for (const l of LIVES) {
    const labels = `node="service:ns/${l.name}",kind="service",name="${l.name}",namespace="ns",parent="namespace:ns"`;
    for (let t = l.firstSec; t <= l.lastSec + 1e-9; t += 15)
      lines.push(`timescope_service_info{${labels}} 1 ${t.toFixed(3)}`);
  }
  lines.push('# TYPE timescope_edge_connections gauge');
  for (const c of CONNECTIONS) {
    const labels = `kind="service",source="service:ns/steady",target="service:ns/${c.to}"`;
    for (let t = c.firstSec; t < c.zeroSec - 1e-9; t += 15)
      lines.push(`timescope_edge_connections{${labels}} 2 ${t.toFixed(3)}`);
    for (let t = c.zeroSec; t <= c.lastSec + 1e-9; t += 15)
      lines.push(`timescope_edge_connections{${labels}} 0 ${t.toFixed(3)}`);
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

const summary = (t: Topology): Record<string, string> => ({
  ...Object.fromEntries(t.nodes.map((n) => [n.id, JSON.stringify([n.intervals, [...n.at].sort()])])),
  ...Object.fromEntries(t.edges.map((e) => [e.id, JSON.stringify([e.intervals, [...e.at.entries()].sort()])])),
});

/** What the panel receives: the nodes, edges and timeline frames. */
const frames = (t: Topology): unknown => JSON.parse(JSON.stringify(topologyFrames(t, 'A')));

async function both(req: TopologyRequest): Promise<{ fast: Topology; raw: Topology }> {
  queries = [];
  const fast = await buildTopology(client, req);
  expect(queries.some((q) => q.includes(PRESENCE_CHANGES))).toBe(true);
  const raw = await buildTopology(client, { ...req, usePresenceRule: false });
  // both paths give the same frames, to the millisecond
  expect(summary(fast)).toEqual(summary(raw));
  expect(frames(fast)).toEqual(frames(raw));
  return { fast, raw };
}

const ms = (s: number): number => s * 1000;
const intervalsOf = (t: Topology, name: string): unknown =>
  t.nodes.find((n) => n.id === `service:ns/${name}`)?.intervals;
const edgeIntervalsOf = (t: Topology, name: string): unknown =>
  t.edges.find((e) => e.target === `service:ns/${name}`)?.intervals;
const ids = (f: DataFrame | undefined): unknown[] => f?.fields.find((x) => x.name === 'id')?.values ?? [];

describe('the rule and the raw series at the edges of the lookback and of the grid cells', () => {
  it('agree on a 15 s grid, where a cell is the instant (a sample in the 30 s before it)', async () => {
    const { raw } = await both(request({ stepMs: 15_000 }));
    // last sample 29.999 s before G: still present at G (the window is [G - 29.999 s, G] on Prometheus 2.x)
    expect(intervalsOf(raw, 'gone-29999')).toEqual([[ms(F), ms(G)]]);
    expect(intervalsOf(raw, 'gone-30000')).toEqual([[ms(F), ms(G - 15)]]);
    expect(intervalsOf(raw, 'born-on-g')).toEqual([[ms(G), ms(END)]]);
    expect(intervalsOf(raw, 'born-after-g')).toEqual([[ms(G + 15), ms(END)]]);
    expect(intervalsOf(raw, 'lone-at-edge')).toEqual([[ms(G - 15), ms(G)]]);
    expect(intervalsOf(raw, 'lone-between')).toEqual([[ms(G + 30), ms(G + 45)]]);
    expect(intervalsOf(raw, 'batch')).toEqual([[ms(G + 105), ms(G + 420)]]);
    // a connection gauge ends at its first 0
    expect(edgeIntervalsOf(raw, 'gone-29999-next')).toEqual([[ms(F), ms(G - 15)]]);
  });

  it('agree on a 60 s grid, whose cells hold every sample inside their step', async () => {
    const { raw } = await both(request());
    expect(intervalsOf(raw, 'gone-29999')).toEqual([[ms(F), ms(G)]]);
    expect(intervalsOf(raw, 'gone-30000')).toEqual([[ms(F), ms(G)]]); // its last sample is in the cell (G - 60, G]
    expect(intervalsOf(raw, 'gone-29999-next')).toEqual([[ms(F), ms(G + 60)]]);
    expect(intervalsOf(raw, 'born-on-g')).toEqual([[ms(G), ms(END)]]);
    expect(intervalsOf(raw, 'born-after-g')).toEqual([[ms(G + 60), ms(END)]]);
    expect(intervalsOf(raw, 'lone-at-edge')).toEqual([[ms(G), ms(G)]]);
    expect(intervalsOf(raw, 'lone-between')).toEqual([[ms(G + 60), ms(G + 60)]]);
    expect(intervalsOf(raw, 'batch')).toEqual([[ms(G + 120), ms(G + 420)]]);
  });

  it('on a 600 s grid, a cell holds whatever was seen inside its step: nothing is lost between grid instants', async () => {
    const { raw } = await both(request({ stepMs: 600_000 }));
    expect(intervalsOf(raw, 'batch')).toEqual([[ms(G + 600), ms(G + 600)]]);
    expect(intervalsOf(raw, 'lone-between')).toEqual([[ms(G + 600), ms(G + 600)]]);
    expect(intervalsOf(raw, 'lone-on-g')).toEqual([[ms(G), ms(G)]]);
    expect(intervalsOf(raw, 'lone-after-prev')).toEqual([[ms(G), ms(G)]]);
    expect(intervalsOf(raw, 'lone-at-edge')).toEqual([[ms(G), ms(G)]]);
    expect(intervalsOf(raw, 'gone-29999')).toEqual([[ms(F), ms(G)]]);
    expect(intervalsOf(raw, 'born-after-g')).toEqual([[ms(G + 600), ms(END)]]);
    // gauges: present at some instant of [g - 570 s, g]
    expect(edgeIntervalsOf(raw, 'batch')).toEqual([[ms(G + 600), ms(G + 600)]]);
    expect(edgeIntervalsOf(raw, 'gone-29999')).toEqual([[ms(F), ms(G)]]);
    expect(edgeIntervalsOf(raw, 'gone-30000')).toEqual([[ms(F), ms(G - 600)]]);
    expect(edgeIntervalsOf(raw, 'gone-29999-next')).toEqual([[ms(F), ms(G)]]);
    expect(edgeIntervalsOf(raw, 'late')).toEqual([[ms(G + 1800), ms(G + 1800)]]);
  });

  it('show the batch job in range mode, in the timeline and in the diff between the start and the end', async () => {
    const range = (await both(request({ stepMs: 600_000 }))).raw;
    const [nodes, edges, timeline] = topologyFrames(range, 'A');
    expect(ids(nodes)).toContain('service:ns/batch');
    expect(edges.fields.find((x) => x.name === 'target')?.values).toContain('service:ns/batch');
    expect(ids(timeline)).toContain('service:ns/batch');
    const diff = (await both(request({ stepMs: 600_000, mode: 'diff' }))).raw;
    const [dNodes, , dTimeline] = topologyFrames(diff, 'A');
    // neither at the start nor at the end: not in the diff's nodes, in its list of what came and went in between
    expect(ids(dNodes)).not.toContain('service:ns/batch');
    expect(ids(dTimeline)).toContain('service:ns/batch');
  });

  it('agree when the range ends off the grid, and the timeline has a row for what is present only at the end', async () => {
    const toSec = G + 1200 + 30; // 30 s after a grid instant; `late` appears 5 s before it
    const { raw } = await both(request({ toMs: toSec * 1000 }));
    const late = raw.nodes.find((n) => n.id === 'service:ns/late');
    expect(late?.at.has('to')).toBe(true);
    expect(late?.intervals).toEqual([[toSec * 1000, toSec * 1000]]);
    const [nodes, , timeline] = topologyFrames(raw, 'A');
    for (const id of ids(nodes)) expect(ids(timeline)).toContain(id);
  });

  it('off a 600 s grid, the end has its own cell: what ran after the last grid instant is in every frame', async () => {
    const toSec = G + 1500; // 300 s after the last grid instant G + 1200
    const { raw } = await both(request({ toMs: toSec * 1000, stepMs: 600_000 }));
    expect(intervalsOf(raw, 'late')).toEqual([[ms(toSec), ms(toSec)]]);
    // gone before the end's instant, seen in its cell
    expect(intervalsOf(raw, 'end-batch')).toEqual([[ms(toSec), ms(toSec)]]);
    const [nodes, , timeline] = topologyFrames(raw, 'A');
    expect(ids(nodes)).toContain('service:ns/end-batch');
    for (const id of ids(nodes)) expect(ids(timeline)).toContain(id);
  });
});
