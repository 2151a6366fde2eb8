// Bad input and bad days, from request to frames: Prometheus down, slow, answering 4xx, 5xx or partial data, a bad
// regex or metric name, an empty result, the query cancelled while its requests are in flight, and names holding
// quotes, backslashes, braces and newlines, against a real Prometheus holding the history scenario.
import type { DataFrame } from '@grafana/data';
import { escapeRegex } from '@timescope/common';
import { ODD_PROCESS_NAME, startHistoryPrometheus, type HistoryPrometheus } from '@timescope/common/history';
import { freePort, waitFor } from '@timescope/common/testing';
import { lastValueFrom } from 'rxjs';
import { backendSrvPromClient } from '../backendSrvClient';
import { backendFetch, PROXY_PREFIX, type RecordedRequest } from '../testutil/backendFetch';
import { startUpstream, type Upstream } from '../testutil/upstream';
import { abortable } from './abortable';
import { fetchPromClient, type PromClient } from './promClient';
import { runDeploys, runTopology, type TargetResult } from './run';
import type { TopologyRequest } from './topology';
import { findValues } from './variables';

jest.setTimeout(120_000);

const END = 1_764_000_000;
const H = 3600;
let hp: HistoryPrometheus;
let up: Upstream;

beforeAll(async () => {
  hp = await startHistoryPrometheus({ endSec: END });
  up = await startUpstream({ kind: 'forward', to: hp.prom.url });
});
afterAll(async () => {
  await up?.close();
  await hp?.prom.stop();
});

const S = END - 24 * H;
function req(over: Partial<TopologyRequest> = {}): TopologyRequest {
  return {
    view: 'service',
    mode: 'instant',
    filters: {},
    groupBy: 'none',
    edgeSource: 'timescope',
    fromMs: (S + 11 * H) * 1000,
    toMs: (S + 12 * H) * 1000,
    stepMs: 60_000,
    scrapeIntervalMs: 15_000,
    ...over,
  };
}

/** The client of a query inside Grafana: backend fetch through the data proxy to `url`, warnings collected. */
function grafanaClient(url: () => string, log?: RecordedRequest[]): { client: PromClient; warnings: string[] } {
  const warnings: string[] = [];
  const client = backendSrvPromClient({
    url: PROXY_PREFIX,
    fetch: backendFetch(url, log),
    requestId: 'Q1-A',
    onWarnings: (w) => warnings.push(...w),
  });
  return { client, warnings };
}

async function viaGrafana(behaviour: Upstream['behaviour'], r = req()): Promise<TargetResult> {
  up.behaviour = behaviour;
  const { client, warnings } = grafanaClient(() => up.url);
  return runTopology(client, r, 'A', warnings);
}

const ids = (f: DataFrame | undefined): unknown[] => f?.fields.find((x) => x.name === 'id')?.values ?? [];

describe('failures give a clear error, never an empty graph', () => {
  it('Prometheus down: unreachable (the data proxy answers 502)', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const { client, warnings } = grafanaClient(() => closed);
    const r = await runTopology(client, req(), 'A', warnings);
    expect(r.frames).toEqual([]);
    expect(r.error?.message).toMatch(/^Prometheus is unreachable \(HTTP 502\): Bad Gateway/);
    const direct = await runTopology(fetchPromClient({ url: closed }), req(), 'A', []);
    expect(direct.error?.message).toMatch(new RegExp(`^Prometheus is unreachable at ${closed}`));
  });

  it('slow: a request that does not end in time is a timeout', async () => {
    up.behaviour = { kind: 'hang' };
    const r = await runTopology(fetchPromClient({ url: up.url, timeoutMs: 1000 }), req(), 'A', []);
    expect(r.frames).toEqual([]);
    expect(r.error?.message).toMatch(/^Prometheus did not answer the (range )?query in time/);
  });

  it('4xx: the request was rejected, with Prometheus’ reason', async () => {
    const body = JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error at char 3' });
    const r = await viaGrafana({ kind: 'status', status: 400, body });
    expect(r.error).toMatchObject({ refId: 'A', status: 400 });
    expect(r.error?.message).toMatch(/^Prometheus rejected the (range )?query \(HTTP 400\): parse error at char 3$/);
    const limit = JSON.stringify({
      status: 'error',
      errorType: 'execution',
      error: 'query processing would load too many samples into memory in query execution',
    });
    const r422 = await viaGrafana({ kind: 'status', status: 422, body: limit });
    expect(r422.error?.message).toContain('(HTTP 422): query processing would load too many samples');
  });

  it('5xx: Prometheus failed; a query timeout says so', async () => {
    const r = await viaGrafana({ kind: 'status', status: 500, body: 'internal error', contentType: 'text/plain' });
    expect(r.error?.message).toBe('Prometheus failed (HTTP 500): internal error');
    const timeout = JSON.stringify({ status: 'error', errorType: 'timeout', error: 'query timed out' });
    const t = await viaGrafana({ kind: 'status', status: 503, body: timeout });
    expect(t.error?.message).toMatch(/^Prometheus gave up on the (range )?query \(query timeout\): query timed out$/);
  });

  it('a 200 that is not a Prometheus answer is an error too', async () => {
    const r = await viaGrafana({ kind: 'status', status: 200, body: '<html>login</html>', contentType: 'text/html' });
    expect(r.error?.message).toMatch(/^Prometheus answered the (range )?query with something unexpected: <html>/);
  });

  it('partial data: the graph, with Prometheus’ warning as a notice on the nodes frame', async () => {
    const r = await viaGrafana({ kind: 'forward', to: hp.prom.url, warnings: ['remote store eu-1 failed'] });
    expect(r.error).toBeUndefined();
    expect(ids(r.frames[0])).toContain('service:shop/frontend');
    expect(r.frames[0].meta?.notices).toEqual([{ severity: 'warning', text: 'Prometheus: remote store eu-1 failed' }]);
  });

  it('nothing found: a notice says so, the frames are there but empty', async () => {
    up.behaviour = { kind: 'forward', to: hp.prom.url };
    const r = await viaGrafana(up.behaviour, req({ filters: { namespace: 'no-such-namespace' } }));
    expect(r.error).toBeUndefined();
    expect(r.frames.map((f) => f.name)).toEqual(['nodes', 'edges', 'timeline']);
    expect(r.frames[0].length).toBe(0);
    expect(r.frames[0].meta?.notices).toEqual([
      { severity: 'warning', text: 'No service nodes found in this time range with these filters.' },
    ]);
  });

  it('a name filter that is not a regex, or an edge metric that is not a name, is refused before any request', async () => {
    const before = up.received;
    const r = await viaGrafana({ kind: 'forward', to: hp.prom.url }, req({ filters: { name: 'cart(' } }));
    expect(r.error?.message).toMatch(/^The name filter is not a valid regex: /);
    const m = await viaGrafana({ kind: 'forward', to: hp.prom.url }, req({ edgeMetric: 'up{job="x"}' }));
    expect(m.error?.message).toBe('The edge metric is not a metric name: "up{job=\\"x\\"}"');
    expect(up.received).toBe(before);
  });
});

describe('cancellation', () => {
  it('unsubscribing from the query aborts every in-flight request', async () => {
    up.behaviour = { kind: 'hang' };
    const received = up.received;
    const abandoned = up.abandoned;
    const log: RecordedRequest[] = [];
    const { client, warnings } = grafanaClient(() => up.url, log);
    const sub = abortable((signal) => runTopology(client, req(), 'A', warnings, signal)).subscribe({
      next: () => {
        throw new Error('a cancelled query must not emit');
      },
    });
    // the first request (does the presence rule cover the range?) goes alone and hangs
    await waitFor('the requests to be in flight', async () => up.received - received >= 1);
    const sent = up.received - received;
    sub.unsubscribe();
    await waitFor('every request to be abandoned', async () => up.abandoned - abandoned === sent && up.open === 0);
    // Grafana request ids are distinct per request, so a request of this query never cancels another
    expect(new Set(log.map((l) => l.requestId)).size).toBe(log.length);
  });

  it('an aborted signal rejects the core as cancelled, which the target turns into no frames and no error', async () => {
    up.behaviour = { kind: 'hang' };
    const ctrl = new AbortController();
    const pending = runTopology(fetchPromClient({ url: up.url }), req(), 'A', [], ctrl.signal);
    await waitFor('a request in flight', async () => up.open > 0);
    ctrl.abort();
    await expect(pending).resolves.toEqual({ frames: [] });
    await waitFor('nothing left open', async () => up.open === 0);
  });

  it('a query that finishes emits once and completes', async () => {
    up.behaviour = { kind: 'forward', to: hp.prom.url };
    const { client, warnings } = grafanaClient(() => up.url);
    const r = await lastValueFrom(abortable((signal) => runTopology(client, req(), 'A', warnings, signal)));
    expect(ids(r.frames[0])).toContain('service:shop/orders');
  });
});

describe('every value placed in PromQL is escaped', () => {
  const NASTY = ['we"ird', 'back\\slash', '{braces}', 'new\nline', '"} or vector(1) or {"', '.*'];

  it('filters holding quotes, backslashes, braces and newlines reach Prometheus as plain values', async () => {
    const client = fetchPromClient({ url: hp.prom.url });
    for (const v of NASTY) {
      for (const filters of [{ namespace: v }, { host: v }, { kind: v }, { name: escapeRegex(v) }]) {
        // the kind filter applies to the views with a workload kind
        for (const view of filters.kind ? (['pod', 'workload'] as const) : (['service', 'pod', 'process'] as const)) {
          const r = await runTopology(client, req({ view, filters }), 'A', []);
          expect({ v, filters, view, error: r.error, nodes: r.frames[0]?.length }).toEqual({
            v,
            filters,
            view,
            error: undefined,
            nodes: 0,
          });
        }
      }
      const d = await runDeploys(
        client,
        { fromMs: S * 1000, toMs: END * 1000, scrapeIntervalMs: 15_000 },
        {
          namespace: v,
          workload: v,
          kind: v,
        },
        'A',
        [],
      );
      expect({ v, error: d.error, rows: d.frames[0]?.length }).toEqual({ v, error: undefined, rows: 0 });
      await expect(findValues(client, `workloads(${v})`, { fromMs: S * 1000, toMs: END * 1000 })).resolves.toEqual([]);
    }
  });

  it('the odd process name is found by an escaped name filter, and only it', async () => {
    const client = fetchPromClient({ url: hp.prom.url });
    const r = await runTopology(
      client,
      req({ view: 'process', filters: { name: `${escapeRegex(ODD_PROCESS_NAME)}.*` } }),
      'A',
      [],
    );
    expect(ids(r.frames[0])).toEqual([`process:node-2/${ODD_PROCESS_NAME}[9000]`]);
  });
});

describe("frames Grafana's Node Graph can draw", () => {
  const views = ['host', 'process', 'container', 'pod', 'workload', 'service'] as const;
  const cases = views.flatMap((view) => [
    { view, mode: 'instant' as const, at: 'at 03:00', instantMs: (S + 3 * H) * 1000 },
    { view, mode: 'instant' as const, at: 'at the end' },
    { view, mode: 'range' as const, at: '' },
    { view, mode: 'diff' as const, at: '' },
  ]);
  it.each(cases)(
    '$view $mode: every edge has both ends in the nodes frame; the timeline is no edges frame',
    async (c) => {
      const r = await runTopology(
        fetchPromClient({ url: hp.prom.url }),
        req({ view: c.view, mode: c.mode, instantMs: c.instantMs, fromMs: (S + 2 * H) * 1000 }),
        'A',
        [],
      );
      expect(r.error).toBeUndefined();
      const [nodes, edges, timeline] = r.frames;
      const nodeIds = new Set(ids(nodes));
      const ends = (name: string): unknown[] => edges.fields.find((f) => f.name === name)?.values ?? [];
      const dangling = [...ends('source'), ...ends('target')].filter((end) => !nodeIds.has(end));
      expect(dangling).toEqual([]);
      expect(timeline.fields.map((f) => f.name)).not.toEqual(expect.arrayContaining(['source']));
      expect(timeline.fields.map((f) => f.name)).not.toEqual(expect.arrayContaining(['target']));
    },
  );
});
