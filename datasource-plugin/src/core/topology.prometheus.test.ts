// The topology rebuilt from a real Prometheus holding the history scenario is exactly what the scenario says.
import { edgeId } from '@timescope/common';
import {
  createScenario,
  graphAt,
  graphDiff,
  graphDuring,
  ODD_PROCESS_NAME,
  startHistoryPrometheus,
  type HistoryPrometheus,
} from '@timescope/common/history';
import { escapeRegex } from '@timescope/common';
import { fetchPromClient, type PromClient } from './promClient';
import { buildTopology, type TopologyRequest } from './topology';
import { edgesFrame, nodesFrame, timelineFrame } from './dataFrames';
import type { View } from './query';
import type { DataFrame } from '@grafana/data';

jest.setTimeout(120_000);

const END = 1_764_000_000;
const H = 3600;
const h = createScenario({ endSec: END });
const S = h.startSec;

let hp: HistoryPrometheus | undefined;
let client: PromClient & { requests: number };

beforeAll(async () => {
  hp = await startHistoryPrometheus({ endSec: END });
  client = fetchPromClient({ url: hp.prom.url });
});
afterAll(async () => hp?.prom.stop());

const column = (f: DataFrame, name: string): unknown[] => f.fields.find((x) => x.name === name)?.values ?? [];

function request(view: View, over: Partial<TopologyRequest>): TopologyRequest {
  return {
    view,
    mode: 'instant',
    filters: {},
    groupBy: 'none',
    edgeSource: 'timescope',
    fromMs: (S + 1 * H) * 1000,
    toMs: END * 1000,
    stepMs: 60_000,
    scrapeIntervalMs: 15_000,
    ...over,
  };
}

async function graph(
  req: TopologyRequest,
): Promise<{ nodes: string[]; edges: string[]; status: Record<string, string> }> {
  const t = await buildTopology(client, req);
  const n = nodesFrame(t, 'A');
  const e = edgesFrame(t, 'A');
  const status: Record<string, string> = {};
  column(n, 'id').forEach((id, i) => (status[id as string] = column(n, 'status')[i] as string));
  column(e, 'id').forEach((id, i) => (status[id as string] = column(e, 'status')[i] as string));
  return { nodes: (column(n, 'id') as string[]).sort(), edges: (column(e, 'id') as string[]).sort(), status };
}

const VIEWS: View[] = ['process', 'host', 'container', 'pod', 'workload', 'service'];
const INSTANTS = [
  S + 1 * H + 30,
  h.events.cartsDeploy + 45,
  h.events.node3Up + 600,
  h.events.catalogueFlapStart + 60,
  h.events.paymentGone + 14,
  h.events.paymentGone + 15,
  h.events.node3Down + 120,
  END,
];

describe('instant mode against the scenario', () => {
  it.each(VIEWS)('%s view: exactly the expected graph at each instant', async (view) => {
    for (const t of INSTANTS) {
      const got = await graph(request(view, { instantMs: t * 1000 }));
      const want = graphAt(h, view, t);
      expect({ t, nodes: got.nodes, edges: got.edges }).toEqual({ t, nodes: want.nodes, edges: want.edges });
    }
  });
});

describe('range and diff modes against the scenario', () => {
  const from = S + 2 * H;
  const to = S + 17 * H;

  it.each(['process', 'service', 'host'] as View[])('%s view, range: everything seen at any step', async (view) => {
    const got = await graph(request(view, { mode: 'range', fromMs: from * 1000, toMs: to * 1000, stepMs: 300_000 }));
    const want = graphDuring(h, view, from, to, 300);
    expect(got.nodes).toEqual(want.nodes);
    expect(got.edges).toEqual(want.edges);
  });

  it.each(['process', 'service', 'pod', 'host'] as View[])(
    '%s view, diff: exactly the additions and removals',
    async (view) => {
      const got = await graph(request(view, { mode: 'diff', fromMs: from * 1000, toMs: to * 1000, stepMs: 300_000 }));
      const want = graphDiff(h, view, from, to);
      const withStatus = (s: string): string[] =>
        Object.keys(got.status)
          .filter((k) => got.status[k] === s)
          .sort();
      expect({
        addedNodes: withStatus('added').filter((k) => !k.includes('->')),
        removedNodes: withStatus('removed').filter((k) => !k.includes('->')),
        addedEdges: withStatus('added').filter((k) => k.includes('->')),
        removedEdges: withStatus('removed').filter((k) => k.includes('->')),
      }).toEqual(want);
    },
  );

  it('diff lists the service changes a user expects from the story', async () => {
    const got = await graph(
      request('service', { mode: 'diff', fromMs: from * 1000, toMs: to * 1000, stepMs: 300_000 }),
    );
    expect(got.status['service:shop/payment']).toBe('removed');
    expect(got.status[edgeId('service:shop/orders', 'service:shop/payment')]).toBe('removed');
    expect(got.status['service:shop/shipping']).toBe('added');
    expect(got.status['service:shop/frontend']).toBe('unchanged');
  });
});

describe('the timeline frame', () => {
  it('says, at every step, exactly what was present', async () => {
    const from = S + 5 * H;
    const to = S + 19 * H;
    const stepMs = 600_000;
    const t = await buildTopology(
      client,
      request('process', { mode: 'range', fromMs: from * 1000, toMs: to * 1000, stepMs }),
    );
    const tl = timelineFrame(t, 'A');
    const ids = column(tl, 'id') as string[];
    const starts = column(tl, 'start') as number[];
    const ends = column(tl, 'end') as number[];
    const entity = column(tl, 'entity') as string[];
    for (let ms = from * 1000; ms <= to * 1000; ms += stepMs) {
      const present = (kind: string): string[] =>
        [...new Set(ids.filter((_, i) => entity[i] === kind && starts[i] <= ms && ms <= ends[i]))].sort();
      const want = graphAt(h, 'process', ms / 1000);
      expect({ ms, nodes: present('node'), edges: present('edge') }).toEqual({
        ms,
        nodes: want.nodes,
        edges: want.edges,
      });
    }
    expect(tl.meta?.custom).toMatchObject({ stepMs, fromMs: from * 1000, toMs: to * 1000, mode: 'range' });
  });
});

describe('filters and requests', () => {
  it('finds a process whose name holds quotes, backslashes and braces, escaped in PromQL', async () => {
    const name = `${escapeRegex(ODD_PROCESS_NAME)}.*`;
    const got = await graph(request('process', { instantMs: (S + 12 * H) * 1000, filters: { name } }));
    expect(got.nodes).toEqual([`process:node-2/${ODD_PROCESS_NAME}[9000]`]);
  });

  it('filters by namespace and host with exact values (a|b from multi-value variables)', async () => {
    const got = await graph(request('pod', { instantMs: (S + 12 * H) * 1000, filters: { host: 'node-2|node-3' } }));
    expect(got.nodes).toEqual([
      'pod:shop/orders-66c4-e5f6',
      'pod:shop/payment-59aa-g7h8',
      'pod:shop/shipping-4f2e-i9j0',
    ]);
    expect(got.edges).toEqual([
      edgeId('pod:shop/orders-66c4-e5f6', 'pod:shop/payment-59aa-g7h8'),
      edgeId('pod:shop/shipping-4f2e-i9j0', 'pod:shop/orders-66c4-e5f6'),
    ]);
  });

  it('uses the same small number of requests whatever the range', async () => {
    const count = async (req: TopologyRequest): Promise<number> => {
      const before = client.requests;
      await buildTopology(client, req);
      return client.requests - before;
    };
    // this Prometheus has no presence rule: one request finds that out while the states are asked, then the raw
    // series are read (docs/time-travel.md, "Requests per query")
    expect(await count(request('service', { mode: 'range', fromMs: (END - 600) * 1000 }))).toBe(8);
    expect(await count(request('service', { mode: 'range', fromMs: S * 1000, stepMs: 120_000 }))).toBe(8);
    expect(await count(request('host', { mode: 'range', fromMs: S * 1000, stepMs: 120_000 }))).toBe(15);
  });
});
