// The executor against a real HTTP server on loopback: the requests that do not wait for the presence rule's
// coverage go together, the rest follow its answer, and one failing request cancels those still in flight.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PRESENCE_RULE_EVALUATIONS } from '@timescope/common';
import { waitFor } from '@timescope/common/testing';
import { executePlan } from './execute';
import { fetchPromClient, PrometheusError } from './promClient';
import { PENDING, planQuery, planWithCoverage, queryContext, type TopologyRequest } from './queryPlan';
import { buildTopology } from './topology';

const S = 1_000_000;
const request: TopologyRequest = {
  view: 'process',
  mode: 'range',
  filters: {},
  groupBy: 'none',
  edgeSource: 'timescope',
  fromMs: S * 1000,
  toMs: (S + 3600) * 1000,
  stepMs: 60_000,
  scrapeIntervalMs: 15_000,
};

/** A stand-in Prometheus: answers the coverage request with `coverage`, every other request with an empty vector. */
interface Fake {
  url: string;
  queries: string[];
  open: number;
  /** hold every request but the coverage one until released */
  hold: boolean;
  release(): void;
  coverage: (res: ServerResponse) => void;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<URLSearchParams> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return new URLSearchParams(text);
}

async function startFake(): Promise<Fake> {
  const held: (() => void)[] = [];
  const empty = (kind: string) => JSON.stringify({ status: 'success', data: { resultType: kind, result: [] } });
  const fake: Fake = {
    url: '',
    queries: [],
    open: 0,
    hold: false,
    release: () => held.splice(0).forEach((f) => f()),
    coverage: (res) => res.end(empty('vector')),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    fake.open++;
    res.on('close', () => fake.open--);
    void body(req).then((p) => {
      const q = p.get('query') ?? '';
      fake.queries.push(q);
      res.setHeader('Content-Type', 'application/json');
      if (q.includes(PRESENCE_RULE_EVALUATIONS)) return fake.coverage(res);
      // a range query, or an instant query of a range selector (the rule's changes), answers a matrix
      const answer = () => res.end(empty(req.url?.includes('query_range') || q.endsWith(']') ? 'matrix' : 'vector'));
      if (fake.hold) held.push(answer);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

let fake: Fake;
beforeEach(async () => {
  fake = await startFake();
});
afterEach(async () => {
  fake.release();
  await fake.close();
});

it('sends the requests that do not depend on the coverage at once, and the rest after its answer', async () => {
  const ctx = queryContext(request);
  let answerCoverage = (): void => undefined;
  fake.coverage = (res) => {
    answerCoverage = () => res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } }));
  };
  const first = planQuery(ctx, PENDING);
  const done = executePlan(fetchPromClient({ url: fake.url }), first, (rows) => planWithCoverage(ctx, rows));
  await waitFor('the first requests', async () => fake.queries.length === first.requests.length);
  answerCoverage();
  const { plan } = await done;
  // not covered (no evaluations): the raw series, as planned
  expect(plan.requests.map((r) => r.request.query).sort()).toEqual([...fake.queries].sort());
  expect(plan).toEqual(planQuery(ctx, undefined));
});

it('one failing request cancels the others still in flight, and the failure is what the caller sees', async () => {
  fake.hold = true;
  let fail = (): void => undefined;
  fake.coverage = (res) => {
    fail = () => {
      res.statusCode = 422;
      res.end(
        JSON.stringify({
          status: 'error',
          errorType: 'execution',
          error: 'query processing would load too many samples',
        }),
      );
    };
  };
  const built = buildTopology(fetchPromClient({ url: fake.url }), request);
  const sent = planQuery(queryContext(request), PENDING).requests.length;
  await waitFor('the first requests in flight', async () => fake.open === sent);
  fail();
  const err = await built.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PrometheusError);
  expect((err as PrometheusError).kind).toBe('client');
  expect((err as PrometheusError).message).toContain('too many samples');
  await waitFor('the held requests to be cancelled', async () => fake.open === 0);
});
