// The fast timeline (the presence rule's changes) gives the same topology as evaluating the raw series at every
// step, on a real Prometheus holding the history scenario with the rule evaluated over part of it by promtool.
import { PRESENCE_CHANGES, presenceRuleGroup } from '@timescope/common';
import { createScenario, startHistoryPrometheus, type HistoryPrometheus } from '@timescope/common/history';
import type { DataFrame } from '@grafana/data';
import { topologyFrames } from './dataFrames';
import { fetchPromClient, type PromClient } from './promClient';
import type { View } from './query';
import { buildTopology, type Topology, type TopologyRequest } from './topology';

jest.setTimeout(300_000);

const END = 1_764_000_000;
const H = 3600;
const h = createScenario({ endSec: END });
const S = h.startSec;
/** the rule ran from two hours into the history until half an hour before its end */
const RULE_FROM = S + 2 * H;
const RULE_TO = END - 1800;

let hp: HistoryPrometheus | undefined;
let queries: string[] = [];
let client: PromClient;

beforeAll(async () => {
  hp = await startHistoryPrometheus({
    endSec: END,
    prometheus: { recordingRules: { rules: presenceRuleGroup(15), startSec: RULE_FROM, endSec: RULE_TO } },
  });
  const inner = fetchPromClient({ url: hp.prom.url });
  const seen = (q: string): void => void queries.push(q);
  client = {
    instant: (q, t, s) => (seen(q), inner.instant(q, t, s)),
    samples: (q, t, s) => (seen(q), inner.samples(q, t, s)),
    range: (q, a, b, st, s) => (seen(q), inner.range(q, a, b, st, s)),
  };
});
afterAll(async () => hp?.prom.stop());

function request(view: View, fromSec: number, toSec: number, over: Partial<TopologyRequest> = {}): TopologyRequest {
  return {
    view,
    mode: 'range',
    filters: {},
    groupBy: 'none',
    edgeSource: 'timescope',
    fromMs: fromSec * 1000,
    toMs: toSec * 1000,
    stepMs: 60_000,
    scrapeIntervalMs: 15_000,
    ...over,
  };
}

/** What a user sees: every node and edge with its intervals and its state at the three instants. */
function summary(t: Topology): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of t.nodes) {
    out[`node ${n.id}`] = JSON.stringify([n.title, n.subtitle, n.kind, n.parent, n.intervals, [...n.at].sort()]);
  }
  for (const e of t.edges) out[`edge ${e.id}`] = JSON.stringify([e.intervals, [...e.at].sort()]);
  return out;
}

/** How many nodes and edges come or go during the range (the comparison means something only if some do). */
function changing(t: Topology): number {
  const whole = (iv: readonly (readonly [number, number])[]): boolean =>
    iv.length === 1 && iv[0][0] === t.grid.fromMs && iv[0][1] >= t.grid.toMs - t.grid.stepMs;
  return [...t.nodes, ...t.edges].filter((x) => !whole(x.intervals)).length;
}

async function both(req: TopologyRequest): Promise<{ fast: Topology; exact: Topology; usedRule: boolean }> {
  queries = [];
  const fast = await buildTopology(client, req);
  const usedRule = queries.some((q) => q.includes(PRESENCE_CHANGES));
  const exact = await buildTopology(client, { ...req, usePresenceRule: false });
  return { fast, exact, usedRule };
}

const ids = (f: DataFrame | undefined): string[] => (f?.fields.find((x) => x.name === 'id')?.values ?? []) as string[];

const VIEWS: View[] = ['host', 'process', 'container', 'pod', 'workload', 'service'];

describe('the presence rule', () => {
  it.each(VIEWS)('gives the same %s timeline as the raw series over a range the rule covers', async (view) => {
    const { fast, exact, usedRule } = await both(request(view, S + 3 * H, END - 2 * H));
    expect(usedRule).toBe(true);
    expect(changing(exact)).toBeGreaterThan(0);
    expect(summary(fast)).toEqual(summary(exact));
  });

  it.each(VIEWS)(
    'gives the same %s cells as the raw series on a 600 s grid, with an end off the grid (its own cell)',
    async (view) => {
      const { fast, exact, usedRule } = await both(
        request(view, S + 3 * H, END - 2 * H + 250, { stepMs: 600_000, mode: 'diff' }),
      );
      expect(usedRule).toBe(true);
      expect(changing(exact)).toBeGreaterThan(0);
      expect(summary(fast)).toEqual(summary(exact));
      // range mode's nodes and edges (the same answers) all have timeline rows, the end's cell included
      const [nodes, edges, timeline] = topologyFrames({ ...exact, request: { ...exact.request, mode: 'range' } }, 'A');
      const rows = new Set(ids(timeline));
      expect([...ids(nodes), ...ids(edges)].filter((id) => !rows.has(id))).toEqual([]);
    },
  );

  it('asks the raw series for the instants after its last evaluation (a live range)', async () => {
    const { fast, exact, usedRule } = await both(request('process', S + 3 * H, END, { mode: 'diff' }));
    expect(usedRule).toBe(true);
    expect(summary(fast)).toEqual(summary(exact));
    // the same on grids of 600 s and 300 s cells, whose last ones are after the rule's last evaluation (asked as
    // named states, or beyond 4 of them as transitions from the first)
    for (const stepMs of [600_000, 300_000]) {
      const coarse = await both(request('pod', S + 3 * H, END, { mode: 'diff', stepMs }));
      expect(coarse.usedRule).toBe(true);
      expect(summary(coarse.fast)).toEqual(summary(coarse.exact));
    }
  });

  it('is not read for a range that starts before its first evaluation', async () => {
    const { fast, exact, usedRule } = await both(request('service', S + H, END - 2 * H));
    expect(usedRule).toBe(false);
    expect(summary(fast)).toEqual(summary(exact));
  });

  it('is not read with another scrape interval than the one it was written for', async () => {
    queries = [];
    await buildTopology(client, request('service', S + 3 * H, END - 2 * H, { scrapeIntervalMs: 30_000 }));
    expect(queries.some((q) => q.includes(PRESENCE_CHANGES))).toBe(false);
  });

  it('sends as many requests for a few objects as for all of them', async () => {
    const count = async (req: TopologyRequest): Promise<number> => {
      queries = [];
      await buildTopology(client, req);
      return queries.length;
    };
    for (const view of VIEWS) {
      const all = await count(request(view, S + 3 * H, END));
      const few = await count(request(view, S + 3 * H, END, { filters: { name: 'nothing-has-this-name' } }));
      expect(few).toBe(all);
      // at most 4 or 5 per family of series (node kinds, local and remote edges, parents), a few views more
      expect(all).toBeLessThanOrEqual(20);
    }
  });
});
