// Each edge source's adapter against a real Prometheus holding a history in that source's exact schema: the graph
// at several instants, over a range and as a diff is the expected one, and the L7 figures are what PromQL gives
// for the same window.
import type { DataFrame } from '@grafana/data';
import { edgeId, FigureField, FrameName, nodeId } from '@timescope/common';
import type { RunningPrometheus } from '@timescope/common/testing';
import { startEdgeHistory } from '../../testutil/edgeHistory';
import { fetchPromClient, type PromClient } from '../promClient';
import type { EdgeSource } from '../query';
import { figureWindowMs, queryContext } from '../queryPlan';
import { runTopology } from '../run';
import { buildTopology, type TopologyRequest } from '../topology';
import { edgesFrame } from '../dataFrames';
import {
  aliveAt,
  aliveDuring,
  bareHubbleSeries,
  CALLS,
  carettaSeries,
  clientReportedOnly,
  corootSeries,
  timescopeSeries,
  END,
  flowSeries,
  hubbleSeries,
  istioSeries,
  M,
  NS,
  retinaSeries,
  S,
  SECOND_CLUSTER_CALL,
  serviceGraphSeries,
  twoClusterFlowSeries,
  type CallEdge,
} from './testdata/scenario';

jest.setTimeout(120_000);

let prom: RunningPrometheus | undefined;
let client: PromClient & { requests: number };

beforeAll(async () => {
  const series = [
    ...serviceGraphSeries(),
    ...flowSeries(),
    ...hubbleSeries(),
    ...retinaSeries(),
    ...bareHubbleSeries(),
    ...corootSeries(),
    ...timescopeSeries(),
    ...istioSeries(),
    ...twoClusterFlowSeries(),
    ...carettaSeries(),
  ];
  prom = await startEdgeHistory(series, S);
  client = fetchPromClient({ url: prom.url });
});
afterAll(async () => prom?.stop());

function request(edgeSource: EdgeSource, over: Partial<TopologyRequest> = {}): TopologyRequest {
  return {
    view: 'service',
    mode: 'instant',
    filters: {},
    groupBy: 'none',
    edgeSource,
    fromMs: (S + 5 * M) * 1000,
    toMs: END * 1000,
    stepMs: 60_000,
    scrapeIntervalMs: 15_000,
    ...over,
  };
}

const column = (f: DataFrame, name: string): unknown[] => f.fields.find((x) => x.name === name)?.values ?? [];

async function edgeStatus(req: TopologyRequest): Promise<Record<string, string>> {
  const e = edgesFrame(await buildTopology(client, req), 'A');
  const out: Record<string, string> = {};
  column(e, 'id').forEach((id, i) => (out[id as string] = column(e, 'status')[i] as string));
  return out;
}

const INSTANTS = [S + 10 * M, S + 25 * M, S + 60 * M, S + 100 * M, END];

interface Case {
  source: EdgeSource;
  edgeMetric?: string;
  id: (c: CallEdge) => string;
  /** edges of the source beyond the four calls (at every instant) */
  extra?: string[];
}

const workloadId = (kind: string) => (c: CallEdge) =>
  edgeId(nodeId.workload(NS, kind, c.client), nodeId.workload(NS, kind, c.server));

const CASES: Case[] = [
  {
    source: 'tempo',
    id: (c) => edgeId(nodeId.serviceWithoutNamespace(c.client), nodeId.serviceWithoutNamespace(c.server)),
    extra: [edgeId('service:cron', 'service:carts')],
  },
  {
    source: 'tempo',
    edgeMetric: 'otel_traces_service_graph_request_total',
    id: (c) => edgeId(nodeId.service(NS, c.client), nodeId.service(NS, c.server)),
  },
  { source: 'beyla', id: workloadId('Deployment') },
  { source: 'obi', id: workloadId('Deployment') },
  {
    source: 'hubble',
    id: (c) => edgeId(nodeId.workloadWithoutKind(NS, c.client), nodeId.workloadWithoutKind(NS, c.server)),
  },
  {
    source: 'hubble-http',
    id: (c) => edgeId(nodeId.workloadWithoutKind(NS, c.client), nodeId.workloadWithoutKind(NS, c.server)),
  },
  { source: 'retina', id: workloadId('Deployment') },
  { source: 'caretta', id: workloadId('Deployment') },
  {
    source: 'istio',
    id: (c) => edgeId(nodeId.workloadWithoutKind(NS, c.client), nodeId.workloadWithoutKind(NS, c.server)),
  },
];

const label = (c: Case): string => `${c.source}${c.edgeMetric ? ` (${c.edgeMetric})` : ''}`;

describe.each(CASES.map((c) => [label(c), c] as const))('%s', (_name, c) => {
  const over = c.edgeMetric ? { edgeMetric: c.edgeMetric } : {};
  const ids = (calls: CallEdge[]): string[] => [...calls.map(c.id), ...(c.extra ?? [])].sort();

  it('the graph at several instants is exactly the calls alive then', async () => {
    for (const t of INSTANTS) {
      const got = await edgeStatus(request(c.source, { ...over, instantMs: t * 1000 }));
      expect([t, Object.keys(got).sort()]).toEqual([t, ids(aliveAt(t))]);
    }
  });

  it('over a range: every call alive at some step of it', async () => {
    for (const [from, to] of [
      [S + 5 * M, END],
      [S + 45 * M, END],
    ]) {
      const got = await edgeStatus(request(c.source, { ...over, mode: 'range', fromMs: from * 1000, toMs: to * 1000 }));
      expect(Object.keys(got).sort()).toEqual(ids(aliveDuring(from, to)));
    }
  });

  it('over a range and as a diff at a 15 s step (a counter: from its raw samples)', async () => {
    const fine = { ...over, stepMs: 15_000 };
    const range = await edgeStatus(request(c.source, { ...fine, mode: 'range', fromMs: (S + 45 * M) * 1000 }));
    expect(Object.keys(range).sort()).toEqual(ids(aliveDuring(S + 45 * M, END)));
    const diff = await edgeStatus(
      request(c.source, { ...fine, mode: 'diff', fromMs: (S + 10 * M) * 1000, toMs: (S + 100 * M) * 1000 }),
    );
    const [e1, e2, e3] = CALLS;
    expect(diff).toEqual({
      [c.id(e1)]: 'unchanged',
      [c.id(e2)]: 'removed',
      [c.id(e3)]: 'added',
      ...Object.fromEntries((c.extra ?? []).map((x) => [x, 'unchanged'])),
    });
  });

  it('as a diff: added, removed and unchanged against the start', async () => {
    const got = await edgeStatus(
      request(c.source, { ...over, mode: 'diff', fromMs: (S + 10 * M) * 1000, toMs: (S + 100 * M) * 1000 }),
    );
    const [e1, e2, e3] = CALLS;
    expect(got).toEqual({
      [c.id(e1)]: 'unchanged',
      [c.id(e2)]: 'removed',
      [c.id(e3)]: 'added',
      ...Object.fromEntries((c.extra ?? []).map((x) => [x, 'unchanged'])),
    });
  });
});

/** The figures frame's value of an edge at an instant. */
function figureAt(frames: DataFrame[], id: string, name: string, tMs: number): number | null {
  const f = frames.find((x) => x.name === FrameName.Figures);
  if (!f) return null;
  const meta = f.meta?.custom as { fromMs: number; stepMs: number };
  const row = column(f, FigureField.id).indexOf(id);
  const values = column(f, name)[row] as (number | null)[];
  return values[Math.round((tMs - meta.fromMs) / meta.stepMs)];
}

async function promAt(query: string, tSec: number): Promise<Map<string, number>> {
  const rows = await client.instant(query, tSec);
  return new Map(
    rows.map((r) => [
      `${r.metric.client ?? r.metric.source_workload}->${r.metric.server ?? r.metric.destination_workload}`,
      Number(r.value[1]),
    ]),
  );
}

describe('L7 figures over the step', () => {
  interface FigureCase {
    source: EdgeSource;
    /** a metric other than the source's default (a prefixed one) */
    edgeMetric?: string;
    id: (c: CallEdge) => string;
    by: string;
    /** the PromQL selectors of a call's requests, failed requests and latency buckets */
    sel: (c: CallEdge) => { rate: string; failed: string; buckets: string };
    /** seconds per unit of the histogram */
    unitSec: number;
  }
  const istioReporter = (c: CallEdge): string => `reporter="${clientReportedOnly(c) ? 'source' : 'destination'}"`;
  const FIGURE_CASES: FigureCase[] = [
    {
      source: 'tempo',
      id: CASES[0].id,
      by: 'client, server',
      sel: () => ({
        rate: 'traces_service_graph_request_total',
        failed: 'traces_service_graph_request_failed_total',
        buckets: 'traces_service_graph_request_server_seconds_bucket',
      }),
      unitSec: 1,
    },
    {
      // the OTel connector under a prefix: its series and ids carry the service namespaces, and so must the sums
      source: 'tempo',
      edgeMetric: 'otel_traces_service_graph_request_total',
      id: CASES[1].id,
      by: 'client, server, client_service_namespace, server_service_namespace',
      sel: () => ({
        rate: 'otel_traces_service_graph_request_total',
        failed: 'otel_traces_service_graph_request_failed_total',
        buckets: 'otel_traces_service_graph_request_server_seconds_bucket',
      }),
      unitSec: 1,
    },
    {
      source: 'hubble-http',
      id: CASES[5].id,
      by: 'source_workload, destination_workload',
      sel: () => ({
        rate: 'hubble_http_requests_total',
        failed: 'hubble_http_requests_total{status=~"5.."}',
        buckets: 'hubble_http_request_duration_seconds_bucket',
      }),
      unitSec: 1,
    },
    {
      // the server's proxy's report where there is one, else the client's: never both
      source: 'istio',
      id: (c) => edgeId(nodeId.workloadWithoutKind(NS, c.client), nodeId.workloadWithoutKind(NS, c.server)),
      by: 'source_workload, destination_workload',
      sel: (c) => ({
        rate: `istio_requests_total{${istioReporter(c)}}`,
        failed: `istio_requests_total{${istioReporter(c)}, response_code=~"5.."}`,
        buckets: `istio_request_duration_milliseconds_bucket{${istioReporter(c)}}`,
      }),
      unitSec: 0.001,
    },
  ];

  it.each(FIGURE_CASES.map((fc) => ({ ...fc, name: fc.edgeMetric ? `${fc.source} (${fc.edgeMetric})` : fc.source })))(
    '$name: request rate, error ratio and p95 equal PromQL over the same window',
    async (fc) => {
      const req = request(fc.source, { mode: 'range', ...(fc.edgeMetric ? { edgeMetric: fc.edgeMetric } : {}) });
      const { frames } = await runTopology(client, req, 'A', []);
      const w = `${figureWindowMs(queryContext(req))}ms`;
      for (const t of [S + 25 * M, S + 100 * M, END]) {
        for (const call of aliveAt(t)) {
          const q = fc.sel(call);
          const key = `${call.client}->${call.server}`;
          const rate = (await promAt(`sum by (${fc.by}) (rate(${q.rate}[${w}]))`, t)).get(key) ?? NaN;
          const failed = (await promAt(`sum by (${fc.by}) (rate(${q.failed}[${w}]))`, t)).get(key) ?? 0;
          const p95 = await promAt(`histogram_quantile(0.95, sum by (${fc.by}, le) (rate(${q.buckets}[${w}])))`, t);
          const id = fc.id(call);
          expect(figureAt(frames, id, FigureField.rate, t * 1000)).toBeCloseTo(rate, 9);
          expect(figureAt(frames, id, FigureField.rate, t * 1000)).toBeCloseTo(call.rps, 6);
          expect(figureAt(frames, id, FigureField.errorRatio, t * 1000)).toBeCloseTo(failed / rate, 9);
          expect(figureAt(frames, id, FigureField.errorRatio, t * 1000)).toBeCloseTo(call.failed, 6);
          expect(figureAt(frames, id, FigureField.p95, t * 1000)).toBeCloseTo((p95.get(key) ?? NaN) * fc.unitSec, 9);
        }
      }
    },
  );

  it('the edges frame shows the figures at the instant as mainstat / secondarystat with units, p95 as a detail', async () => {
    const t = S + 100 * M;
    const { frames } = await runTopology(client, request('tempo', { instantMs: t * 1000 }), 'A', []);
    const edges = frames[1];
    const main = edges.fields.find((f) => f.name === 'mainstat');
    const second = edges.fields.find((f) => f.name === 'secondarystat');
    expect(main?.config.unit).toBe('reqps');
    expect(second?.config.unit).toBe('percentunit');
    const row = column(edges, 'id').indexOf(CASES[0].id(CALLS[2]));
    expect(main?.values[row]).toBeCloseTo(1, 6);
    expect(second?.values[row]).toBeCloseTo(0.25, 6);
    expect(column(edges, 'detail__p95')[row]).toBeGreaterThan(0.1);
    expect(column(edges, 'detail__sources')[row]).toBe('tempo');
  });

  it('at a step finer than a rate needs: one value every 4 scrape intervals, each over its own step, and a notice', async () => {
    const req = request('tempo', { mode: 'range', stepMs: 15_000 });
    const { frames } = await runTopology(client, req, 'A', []);
    const f = frames.find((x) => x.name === FrameName.Figures);
    const steps = (req.toMs - req.fromMs) / 60_000 + 1;
    expect(f?.meta?.custom).toEqual({ fromMs: req.fromMs, stepMs: 60_000, steps });
    expect((column(f as DataFrame, FigureField.rate)[0] as unknown[]).length).toBe(steps);
    expect(f?.meta?.notices?.map((n) => n.text)).toEqual([
      "L7 figures: one value every 60 s, each over the 60 s before it (the graph's step is 15 s; a figure's step " +
        'holds at least 4 scrape intervals, and at most 200 values span the range).',
    ]);
    const w = `${figureWindowMs(queryContext(req))}ms`;
    expect(w).toBe('59999ms');
    for (const t of [S + 25 * M, S + 100 * M, END]) {
      const rates = await promAt(`sum by (client, server) (rate(traces_service_graph_request_total[${w}]))`, t);
      for (const call of aliveAt(t)) {
        const rate = rates.get(`${call.client}->${call.server}`) ?? NaN;
        expect(figureAt(frames, CASES[0].id(call), FigureField.rate, t * 1000)).toBeCloseTo(rate, 9);
      }
    }
    // the edges frame at an instant between two figure steps shows the last one before it
    const at = await runTopology(
      client,
      request('tempo', { stepMs: 15_000, instantMs: (S + 100 * M + 45) * 1000 }),
      'A',
      [],
    );
    const row = column(at.frames[1], 'id').indexOf(CASES[0].id(CALLS[2]));
    const before = figureAt(frames, CASES[0].id(CALLS[2]), FigureField.errorRatio, (S + 100 * M) * 1000);
    expect(column(at.frames[1], 'secondarystat')[row]).toBe(before);
  });

  it('the figures frame has one row per edge drawn, one value per step', async () => {
    const req = request('tempo', { mode: 'range' });
    const { frames } = await runTopology(client, req, 'A', []);
    const f = frames.find((x) => x.name === FrameName.Figures);
    expect(f?.length).toBe(frames[1].length);
    const steps = Math.floor((req.toMs - req.fromMs) / req.stepMs) + 1;
    expect((column(f as DataFrame, FigureField.rate)[0] as unknown[]).length).toBe(steps);
  });
});

describe('a metric without the labels an adapter needs', () => {
  it('says which labels its series lack, instead of drawing nothing', async () => {
    const req = request('hubble', { edgeMetric: 'bare_hubble_flows_processed_total' });
    const { frames } = await runTopology(client, req, 'A', []);
    const notices = (frames[0].meta?.notices ?? []).map((n) => n.text);
    expect(notices).toEqual([
      'Cilium Hubble flows: 1 series of bare_hubble_flows_processed_total name no edge: they lack the labels ' +
        'source_namespace, source_workload, destination_namespace, destination_workload (it needs source_namespace, ' +
        'source_workload, destination_namespace, destination_workload).',
    ]);
  });

  it('says when the metric has no series at all', async () => {
    const { frames } = await runTopology(client, request('retina', { edgeMetric: 'no_such_metric' }), 'A', []);
    expect((frames[0].meta?.notices ?? []).map((n) => n.text)).toEqual([
      'Retina: no series of no_such_metric in this time range (it needs the labels source_ip, destination_ip).',
    ]);
  });
});

describe('Beyla in several clusters: the same names in two clusters are two nodes', () => {
  const over = { edgeMetric: 'two_cluster_beyla_network_flow_bytes_total' };
  const inCluster = (cluster: string) => (c: CallEdge) =>
    edgeId(
      `${nodeId.workload(NS, 'Deployment', c.client)}@${cluster}`,
      `${nodeId.workload(NS, 'Deployment', c.server)}@${cluster}`,
    );

  it('at an instant and as a diff, each cluster its own edges', async () => {
    for (const t of [S + 25 * M, S + 100 * M]) {
      const got = await edgeStatus(request('beyla', { ...over, instantMs: t * 1000 }));
      const c2 = t >= SECOND_CLUSTER_CALL.life[0] + M ? [inCluster('c2')(SECOND_CLUSTER_CALL)] : [];
      expect([t, Object.keys(got).sort()]).toEqual([t, [...aliveAt(t).map(inCluster('c1')), ...c2].sort()]);
    }
    const diff = request('beyla', { ...over, mode: 'diff', fromMs: (S + 10 * M) * 1000, toMs: (S + 100 * M) * 1000 });
    const [e1, e2, e3] = CALLS;
    expect(await edgeStatus(diff)).toEqual({
      [inCluster('c1')(e1)]: 'unchanged',
      [inCluster('c1')(e2)]: 'removed',
      [inCluster('c1')(e3)]: 'added',
      [inCluster('c2')(SECOND_CLUSTER_CALL)]: 'added',
    });
  });

  it('a range holding one cluster only keeps the ids every source writes', async () => {
    const got = await edgeStatus(
      request('beyla', { ...over, mode: 'range', fromMs: (S + 5 * M) * 1000, toMs: (S + 45 * M) * 1000 }),
    );
    expect(Object.keys(got).sort()).toEqual(
      aliveDuring(S + 5 * M, S + 45 * M)
        .map(workloadId('Deployment'))
        .sort(),
    );
  });
});

describe('Coroot: IP:port ends resolved against the pods as they were at each instant', () => {
  const frontend = nodeId.pod(NS, 'frontend-1');
  const carts = nodeId.pod(NS, 'carts-1');
  const db1 = nodeId.pod(NS, 'db-1');
  const db2 = nodeId.pod(NS, 'db-2');
  const outside = edgeId(frontend, nodeId.external('203.0.113.7'));

  it('at an instant: the pod holding the IP then, never the one that held it before or after', async () => {
    expect(Object.keys(await edgeStatus(request('coroot', { instantMs: (S + 25 * M) * 1000 }))).sort()).toEqual(
      [edgeId(frontend, db1), outside].sort(),
    );
    expect(Object.keys(await edgeStatus(request('coroot', { instantMs: (S + 100 * M) * 1000 }))).sort()).toEqual(
      [edgeId(carts, db2), outside].sort(),
    );
  });

  it('over the range and as a diff: the new pod does not inherit the old pod edges', async () => {
    expect(Object.keys(await edgeStatus(request('coroot', { mode: 'range' }))).sort()).toEqual(
      [edgeId(frontend, db1), edgeId(carts, db2), outside].sort(),
    );
    const diff = request('coroot', { mode: 'diff', fromMs: (S + 10 * M) * 1000, toMs: (S + 100 * M) * 1000 });
    expect(await edgeStatus(diff)).toEqual({
      [edgeId(frontend, db1)]: 'removed',
      [edgeId(carts, db2)]: 'added',
      [outside]: 'unchanged',
    });
  });
});

describe('several edge sources in one query', () => {
  const id = edgeId(nodeId.service(NS, 'frontend'), nodeId.service(NS, 'carts'));
  const mixed = (over: Partial<TopologyRequest> = {}): TopologyRequest =>
    request('timescope', {
      edgeSources: ['timescope', 'tempo'],
      edgeMetrics: { tempo: 'otel_traces_service_graph_request_total' },
      ...over,
    });

  it('merges edges on the node ids they resolve to, each listing its sources, with both figures', async () => {
    const { frames } = await runTopology(client, mixed({ instantMs: (S + 100 * M) * 1000 }), 'A', []);
    const edges = frames[1];
    const row = column(edges, 'id').indexOf(id);
    expect(column(edges, 'detail__sources')[row]).toBe('timescope, tempo');
    expect(column(edges, 'detail__connections')[row]).toBe(4);
    expect(column(edges, 'mainstat')[row]).toBeCloseTo(5, 6);
    const others = (column(edges, 'id') as string[]).filter((x) => x !== id);
    expect(others.sort()).toEqual(
      aliveAt(S + 100 * M)
        .map((c) => edgeId(nodeId.service(NS, c.client), nodeId.service(NS, c.server)))
        .filter((x) => x !== id)
        .sort(),
    );
    for (const other of others)
      expect(column(edges, 'detail__sources')[column(edges, 'id').indexOf(other)]).toBe('tempo');
  });

  it('over a range and as a diff, like each source alone', async () => {
    const range = await edgeStatus(mixed({ mode: 'range' }));
    expect(Object.keys(range).sort()).toEqual(
      aliveDuring(S + 5 * M, END)
        .map((c) => edgeId(nodeId.service(NS, c.client), nodeId.service(NS, c.server)))
        .sort(),
    );
    const diff = await edgeStatus(mixed({ mode: 'diff', fromMs: (S + 10 * M) * 1000, toMs: (S + 100 * M) * 1000 }));
    expect(diff[id]).toBe('unchanged');
    expect(diff[edgeId(nodeId.service(NS, 'frontend'), nodeId.service(NS, 'payment'))]).toBe('added');
  });
});
