// A real Prometheus scrapes a real exporter that watches a real GitOps repository and takes webhooks: Grafana's
// annotation query ("series value as timestamp") returns every event's own time to the millisecond.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queryInstant, startPrometheus, waitFor, type RunningPrometheus } from '@timescope/common/testing';
import { deployment, service, TestRepo } from '../../sources/git/testRepo';
import { startExporterProcess, type ExporterProcess } from '../../testutil/exporterProcess';

jest.setTimeout(90_000);

const ANNOTATION_QUERY =
  'max by (namespace, workload, revision) (last_over_time(timescope_deploy_timestamp_seconds[3h])) * 1000';
const END_QUERY =
  'max by (namespace, workload, revision) (last_over_time(timescope_deploy_end_timestamp_seconds[3h])) * 1000';

/** The shop's manifests with carts at image tag `carts` and `replicas` replicas (orders unchanged). */
function writeShop(repo: TestRepo, carts: string, replicas: number): void {
  repo.write(
    'manifests/shop.yaml',
    [
      deployment('carts', 'shop', `shop/carts:${carts}`, replicas),
      service('carts', 'shop'),
      deployment('orders', 'shop', 'shop/orders:1.0', 1),
    ].join('---\n'),
  );
}

describe('deploy events in Prometheus', () => {
  let repo: TestRepo;
  let dir: string;
  let exporter: ExporterProcess | undefined;
  let prom: RunningPrometheus | undefined;

  afterAll(async () => {
    await exporter?.kill();
    await prom?.stop();
    repo?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function annotations(query: string): Promise<Map<string, number>> {
    const r = await queryInstant(prom as RunningPrometheus, query);
    return new Map(
      r.map((s) => [`${s.metric.namespace}/${s.metric.workload}@${s.metric.revision}`, Number(s.value[1])]),
    );
  }

  it('draws git commits and webhook events at their own instants', async () => {
    const now = Math.floor(Date.now() / 1000);
    repo = new TestRepo();
    writeShop(repo, '1.0', 2);
    const c1 = repo.commit('Initial shop', 'Alice', now - 7200);
    repo.write('README.md', 'docs\n');
    repo.commit('Docs only', 'Bob', now - 5400);
    writeShop(repo, '1.1', 3);
    const c3 = repo.commit('carts 1.1', 'Carol', now - 3600);

    dir = mkdtempSync(join(tmpdir(), 'timescope-promdeploys-'));
    exporter = await startExporterProcess({
      args: [
        '--no-collector.procfs',
        `--events.path=${dir}`,
        `--git.repo=${repo.dir}`,
        '--git.path=manifests',
        '--git.poll-interval=1s',
        '--git.commit-url=https://git.example.org/shop/commit/{sha}',
      ],
      env: { TIMESCOPE_WEBHOOKS_TOKEN: 'tok' },
    });
    const started = Date.now() - 1_800_000 + 123; // half an hour ago, with milliseconds
    const finished = started + 95_456;
    const r = await fetch(`${exporter.url}/api/v1/deploys`, {
      method: 'POST',
      headers: { Authorization: 'Bearer tok' },
      body: JSON.stringify({
        namespace: 'shop',
        workload: 'payments',
        revision: 'v2.0.1',
        startedAt: new Date(started).toISOString(),
        finishedAt: finished / 1000,
      }),
    });
    expect(r.status).toBe(201);

    prom = await startPrometheus({ targets: [`127.0.0.1:${exporter.port}`], scrapeInterval: '1s' });
    // A commit made while everything runs shows up too.
    repo.write(
      'manifests/shop.yaml',
      [
        deployment('carts', 'shop', 'shop/carts:1.1', 3),
        service('carts', 'shop'),
        deployment('orders', 'shop', 'shop/orders:1.1', 2),
      ].join('---\n'),
    );
    const c4 = repo.commit('orders 1.1', 'Dave', now - 60);

    const expected = new Map([
      [`shop/carts@${c1}`, (now - 7200) * 1000],
      [`shop/orders@${c1}`, (now - 7200) * 1000],
      [`shop/carts@${c3}`, (now - 3600) * 1000],
      [`shop/orders@${c4}`, (now - 60) * 1000],
      ['shop/payments@v2.0.1', started],
    ]);
    const got = await waitFor('every deploy in Prometheus', async () => {
      const a = await annotations(ANNOTATION_QUERY);
      return a.size === expected.size ? a : undefined;
    });
    for (const [key, ms] of expected) {
      expect([key, Math.round(got.get(key) ?? NaN)]).toEqual([key, ms]);
    }
    const ends = await annotations(END_QUERY);
    expect([...ends.keys()]).toEqual(['shop/payments@v2.0.1']);
    expect(Math.round(ends.get('shop/payments@v2.0.1') ?? NaN)).toBe(finished);

    const labels = await queryInstant(prom, `timescope_deploy_timestamp_seconds{revision="${c3}"}`);
    expect(labels[0].metric).toMatchObject({
      source: 'git',
      kind: 'Deployment',
      author: 'Carol',
      subject: 'carts 1.1',
      url: `https://git.example.org/shop/commit/${c3}`,
    });
  });
});
