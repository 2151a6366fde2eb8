import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@timescope/common/testing';
import type { DeployEvent } from '../../journal';
import type { Component, Logger, MetricFamily } from '../../runtime/source';
import { instantiate, type SharedContext } from '../../runtime/supervisor';
import { testContext } from '../../testutil/context';
import { KubeApiStandIn, type KubeObject } from '@timescope/common/standins';
import { kubernetesModule } from './index';

jest.setTimeout(30_000);

const fixtures = JSON.parse(readFileSync(join(__dirname, 'testdata', 'cluster.json'), 'utf8')) as KubeObject[];

const logs: string[] = [];
const logger: Logger = {
  info: (m, f) => logs.push(`info ${m} ${JSON.stringify(f ?? {})}`),
  warn: (m, f) => logs.push(`warn ${m} ${JSON.stringify(f ?? {})}`),
  error: (m, f) => logs.push(`error ${m} ${JSON.stringify(f ?? {})}`),
};

function series(c: Component, family: string): Record<string, string>[] {
  const all: MetricFamily[] = c.collectors.flatMap((x) => x.collect());
  return all
    .filter((f) => f.name === family)
    .flatMap((f) => f.samples.map((s) => ({ ...s.labels, value: String(s.value) })));
}

function up(c: Component): string | undefined {
  return series(c, 'timescope_source_up').find((s) => s.source === 'kubernetes')?.value;
}

const nodesOf = (c: Component, family: string): string[] =>
  series(c, family)
    .map((s) => s.node)
    .sort();

describe('kubernetes source (cluster role) against a fake API server', () => {
  const api = new KubeApiStandIn();
  let dir: string;
  let ctx: SharedContext;
  let source: Component;

  beforeAll(async () => {
    await api.start();
    for (const o of fixtures) api.apply(o);
    dir = mkdtempSync(join(tmpdir(), 'timescope-kube-'));
    ctx = testContext(
      {
        'kubernetes.role': 'cluster',
        kubeconfig: api.writeKubeconfig(join(dir, 'kubeconfig')),
        'kubernetes.retry': 0.1,
      },
      logger,
      'cluster-exporter',
    );
    const c = instantiate(kubernetesModule, ctx);
    if (!c) throw new Error('cluster role created no component');
    source = c;
    await source.start();
    await waitFor('first list', async () => up(source) === '1');
  });

  afterAll(async () => {
    await source?.stop();
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes pods with their workload at the top of the owner chain', () => {
    const pods = Object.fromEntries(series(source, 'timescope_pod_info').map((s) => [s.name, s]));
    expect(pods['carts-7d9f-x2x1']).toMatchObject({
      node: 'pod:shop/carts-7d9f-x2x1',
      kind: 'pod',
      host: 'node-1',
      parent: 'host:node-1',
      namespace: 'shop',
      pod_ip: '10.244.1.10',
      workload: 'workload:shop/Deployment/carts',
    });
    expect(pods['carts-db-0'].workload).toBe('workload:shop/StatefulSet/carts-db');
    expect(pods['timescope-q7w2e']).toMatchObject({
      workload: 'workload:shop/DaemonSet/timescope',
      host_network: 'true',
    });
    expect(pods['report-29412360-zx9vq'].workload).toBe('workload:shop/CronJob/report');
    expect(pods.debug).toMatchObject({ workload: '', pod_ip: '' });
    expect(nodesOf(source, 'timescope_workload_info')).toEqual([
      'workload:shop/CronJob/report',
      'workload:shop/DaemonSet/timescope',
      'workload:shop/Deployment/carts',
      'workload:shop/StatefulSet/carts-db',
    ]);
  });

  it('maps container ids of every runtime to their pod', () => {
    const byId = Object.fromEntries(series(source, 'timescope_pod_container_info').map((s) => [s.container_id, s]));
    expect(byId.aaaaaaaaaaaa).toMatchObject({
      pod: 'pod:shop/carts-7d9f-x2x1',
      runtime: 'containerd',
      container: 'carts',
    });
    expect(byId.cccccccccccc).toMatchObject({ pod: 'pod:shop/carts-db-0', runtime: 'cri-o' });
    expect(byId.dddddddddddd).toMatchObject({ runtime: 'docker', node: 'container:node-1/dddddddddddd' });
  });

  it('publishes services, their ready backends, namespaces and node addresses', () => {
    const svc = Object.fromEntries(series(source, 'timescope_service_info').map((s) => [s.name, s]));
    expect(svc.carts).toMatchObject({ node: 'service:shop/carts', cluster_ip: '10.96.0.10', parent: 'namespace:shop' });
    expect(svc['carts-db'].cluster_ip).toBe('');
    expect(series(source, 'timescope_service_backend').map((s) => `${s.service} ${s.pod}`)).toEqual([
      'service:shop/carts pod:shop/carts-7d9f-x2x1',
    ]);
    expect(nodesOf(source, 'timescope_namespace_info')).toEqual(['namespace:shop']);
    expect(series(source, 'timescope_host_address_info').map((s) => `${s.host}=${s.address}`)).toEqual([
      'node-1=192.168.50.1',
      'node-2=192.168.50.2',
    ]);
  });

  it('follows the watch: added, modified and deleted pods, through bookmarks', async () => {
    api.apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'carts-7d9f-new1',
        namespace: 'shop',
        ownerReferences: [
          { kind: 'ReplicaSet', name: 'carts-7d9f', controller: true, apiVersion: 'apps/v1', uid: 'x' },
        ],
      },
      spec: { nodeName: 'node-2', containers: [] },
      status: { podIP: '10.244.2.99' },
    });
    api.bookmark();
    await waitFor('added pod', async () => nodesOf(source, 'timescope_pod_info').includes('pod:shop/carts-7d9f-new1'));
    const debug = api.get('Pod', 'shop', 'debug') as KubeObject;
    api.apply({ ...debug, status: { phase: 'Running', podIP: '10.244.2.50' } });
    await waitFor('modified pod', async () =>
      series(source, 'timescope_pod_info').some((s) => s.name === 'debug' && s.pod_ip === '10.244.2.50'),
    );
    api.delete('Pod', 'shop', 'carts-7d9f-new1');
    await waitFor(
      'deleted pod',
      async () => !nodesOf(source, 'timescope_pod_info').includes('pod:shop/carts-7d9f-new1'),
    );
    expect(up(source)).toBe('1');
  });

  it('relists after 410 Gone and misses nothing that changed meanwhile', async () => {
    const lists = api.requests.filter((r) => r === 'list /api/v1/pods').length;
    api.expireHistory();
    api.apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'after-410', namespace: 'shop' },
      spec: { nodeName: 'node-1' },
    });
    await waitFor('pod after 410', async () => nodesOf(source, 'timescope_pod_info').includes('pod:shop/after-410'));
    expect(api.requests.filter((r) => r === 'list /api/v1/pods').length).toBeGreaterThan(lists);
    expect(up(source)).toBe('1');
  });

  it('reconnects after a dropped watch stream', async () => {
    api.dropWatches();
    api.apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'after-drop', namespace: 'shop' },
      spec: { nodeName: 'node-1' },
    });
    await waitFor('pod after drop', async () => nodesOf(source, 'timescope_pod_info').includes('pod:shop/after-drop'));
    await waitFor('up again', async () => up(source) === '1');
  });

  it('goes down on 403 Forbidden, keeps serving the last objects, and recovers by itself', async () => {
    api.forbid('/api/v1/pods');
    await waitFor('source down', async () => up(source) === '0');
    expect(nodesOf(source, 'timescope_pod_info')).toContain('pod:shop/carts-7d9f-x2x1');
    expect(logs.some((l) => l.includes('HTTP 403') && l.includes('pods'))).toBe(true);
    api.forbid('/api/v1/pods', false);
    await waitFor('source up', async () => up(source) === '1');
  });

  it('goes down while the API server is unreachable and recovers by itself', async () => {
    api.setDown(true);
    await waitFor('source down', async () => up(source) === '0');
    api.setDown(false);
    api.apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'after-outage', namespace: 'shop' },
      spec: { nodeName: 'node-2' },
    });
    await waitFor(
      'pod after outage',
      async () => nodesOf(source, 'timescope_pod_info').includes('pod:shop/after-outage'),
      15_000,
    );
    await waitFor('source up', async () => up(source) === '1', 15_000);
  });

  it('records a Deployment rollout as a deploy event, from its start to all replicas available', async () => {
    const journal = ctx.journal;
    // an hour ago, in whole seconds as Kubernetes writes it: inside the journal's retention whatever the date
    const created = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000).toISOString().replace('.000Z', 'Z');
    const dep = api.get('Deployment', 'shop', 'carts') as KubeObject & {
      spec: { template: { spec: { containers: { image: string }[] } } };
    };
    const rolled = structuredClone(dep);
    rolled.metadata.generation = 2;
    rolled.metadata.annotations = { 'deployment.kubernetes.io/revision': '2' };
    rolled.spec.template.spec.containers[0].image = 'weaveworksdemos/carts:0.5.0';
    rolled.status = { observedGeneration: 2, replicas: 3, updatedReplicas: 1, availableReplicas: 2 };
    api.apply({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: 'carts-5b6c',
        namespace: 'shop',
        creationTimestamp: created,
        annotations: { 'deployment.kubernetes.io/revision': '2' },
        ownerReferences: [{ kind: 'Deployment', name: 'carts', controller: true, apiVersion: 'apps/v1', uid: 'x' }],
      },
    });
    api.apply(rolled);
    const started = await waitFor('rollout started', async () =>
      journal.list({ source: 'kubernetes' }).find((e: DeployEvent) => e.workload === 'carts'),
    );
    expect(started).toMatchObject({
      kind: 'Deployment',
      namespace: 'shop',
      revision: '2',
      status: 'started',
      startedAt: Date.parse(created),
      images: [{ container: 'carts', from: 'weaveworksdemos/carts:0.4.8', to: 'weaveworksdemos/carts:0.5.0' }],
    });
    api.apply({ ...rolled, status: { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2 } });
    await waitFor('rollout succeeded', async () => journal.get(started.id)?.status === 'succeeded');
    expect(journal.get(started.id)?.finishedAt).toBeGreaterThan(0);
  });

  it('marks a rollout failed when its progress deadline passes', async () => {
    const journal = ctx.journal;
    const dep = api.get('Deployment', 'shop', 'carts') as KubeObject & {
      spec: { template: { spec: { containers: { image: string }[] } } };
    };
    const rolled = structuredClone(dep);
    rolled.metadata.annotations = { 'deployment.kubernetes.io/revision': '3' };
    rolled.spec.template.spec.containers[0].image = 'weaveworksdemos/carts:broken';
    rolled.status = { observedGeneration: 3, replicas: 3, updatedReplicas: 1, availableReplicas: 2 };
    api.apply(rolled);
    await waitFor('rollout 3 started', async () => journal.findByKey('kubernetes', 'shop', 'carts', '3'));
    api.apply({
      ...rolled,
      status: {
        ...(rolled.status as object),
        conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
      },
    });
    await waitFor(
      'rollout failed',
      async () => journal.findByKey('kubernetes', 'shop', 'carts', '3')?.status === 'failed',
    );
  });
});

describe('kubernetes module flags', () => {
  const ctx = (given: Record<string, string>): SharedContext => testContext(given, logger);
  it('creates nothing in the node role or without Kubernetes', () => {
    expect(instantiate(kubernetesModule, ctx({ 'kubernetes.role': 'node' }))).toBeUndefined();
    expect(instantiate(kubernetesModule, ctx({ 'kubernetes.role': 'none' }))).toBeUndefined();
  });
  it('refuses an unknown role and a cluster role without any API to reach', () => {
    expect(() => instantiate(kubernetesModule, ctx({ 'kubernetes.role': 'master' }))).toThrow(/node, cluster or none/);
    expect(() => instantiate(kubernetesModule, ctx({ 'kubernetes.role': 'cluster' }))).toThrow(/kubeconfig/);
  });
});
