// Deploy annotations and template variables against a real Prometheus holding the history scenario.
import {
  createScenario,
  deployInstantsMs,
  startHistoryPrometheus,
  type HistoryPrometheus,
} from '@timescope/common/history';
import { queryDeploys } from './deploys';
import { fetchPromClient, type PromClient } from './promClient';
import { findValues, parseVariableQuery } from './variables';

jest.setTimeout(120_000);

const END = 1_764_000_000;
const h = createScenario({ endSec: END });
let hp: HistoryPrometheus;
let client: PromClient;

beforeAll(async () => {
  hp = await startHistoryPrometheus({ endSec: END });
  client = fetchPromClient({ url: hp.prom.url });
});
afterAll(async () => hp?.prom.stop());

const range = { fromMs: h.startSec * 1000, toMs: END * 1000, scrapeIntervalMs: 15_000 };

describe('deploy annotations', () => {
  it('land at the expected milliseconds, rollouts as regions', async () => {
    const got = await queryDeploys(client, range, {});
    expect(got.map((d) => (d.timeEnd ? { time: d.time, timeEnd: d.timeEnd } : { time: d.time }))).toEqual(
      deployInstantsMs(h),
    );
  });

  it('carry title, text (author, subject, commit link) and tags, with label values kept as text', async () => {
    const got = await queryDeploys(client, range, {});
    const frontend = got.find((d) => d.workload === 'frontend');
    expect(frontend).toMatchObject({
      title: 'frontend d4e5f6071829',
      tags: ['deploy', 'shop', 'frontend', 'flux', 'succeeded'],
    });
    expect(frontend?.text.split('\n')).toEqual([
      'Edsger &quot;EWD&quot; Dijkstra: fix &quot;quotes&quot; &amp; &lt;b&gt;tags&lt;/b&gt; {braces} \\ backslash',
      'Deployment shop/frontend @ d4e5f60718293a4b5c6d7e8f9012345678901234 (succeeded, via flux)',
      'https://git.example.com/shop/frontend/commit/d4e5f60718293a4b5c6d7e8f9012345678901234',
    ]);
    const orders = got.find((d) => d.workload === 'orders');
    expect(orders?.timeEnd).toBeUndefined();
    expect(orders?.status).toBe('in progress');
  });

  it('filter by namespace and workload (several values as a|b) and by the range', async () => {
    const two = await queryDeploys(client, range, { namespace: 'shop', workload: 'carts|payment' });
    expect(two.map((d) => d.workload)).toEqual(['carts', 'payment']);
    expect(await queryDeploys(client, range, { namespace: 'other' })).toEqual([]);
    const late = await queryDeploys(client, { ...range, fromMs: h.events.frontendDeploy * 1000 }, {});
    expect(late.map((d) => d.workload)).toEqual(['frontend', 'orders']);
  });
});

describe('template variables', () => {
  const r = { fromMs: h.startSec * 1000, toMs: END * 1000 };

  it('list namespaces, workloads, hosts and kinds seen in the range', async () => {
    expect(await findValues(client, 'namespaces()', r)).toEqual(expect.arrayContaining(['shop']));
    expect(await findValues(client, 'workloads(shop)', r)).toEqual(
      expect.arrayContaining(['carts', 'frontend', 'orders', 'payment', 'shipping']),
    );
    expect(await findValues(client, 'workloads(nowhere)', r)).toEqual([]);
    expect(await findValues(client, 'hosts()', r)).toEqual(['node-1', 'node-2', 'node-3']);
    const kinds = await findValues(client, 'kinds()', r);
    expect(kinds).toEqual(expect.arrayContaining(['host', 'pod', 'process', 'service', 'workload']));
    expect(kinds).not.toContain('namespace');
    expect(await findValues(client, 'workload_kinds()', r)).toEqual(expect.arrayContaining(['Deployment']));
  });

  it('lists only what existed in the range', async () => {
    const early = { fromMs: h.startSec * 1000, toMs: (h.events.node3Up - 120) * 1000 };
    expect(await findValues(client, 'hosts()', early)).toEqual(['node-1', 'node-2']);
  });

  it('refuses unknown queries with the accepted forms', () => {
    expect(() => parseVariableQuery('pods()')).toThrow(/use one of namespaces\(\), workloads\(\), hosts\(\)/);
    expect(parseVariableQuery(' workloads( "shop" ) ')).toEqual({ fn: 'workloads', arg: 'shop' });
  });
});
