import { readFileSync } from 'node:fs';
import { KubeApiStandIn, type KubeObject } from '@timescope/common/standins';
import { ShopCluster, demoCgroupFolder, templateHash } from './cluster';
import { clusterSupport } from './preflight';
import type { Workload } from './shop';
import { PortPlan, Supervisor } from './supervisor';

jest.setTimeout(60_000);

interface List {
  metadata: { resourceVersion: string };
  items: KubeObject[];
}

const svc = (name: string, version = '1.0.0', dependsOn: string[] = []): Workload => ({
  name,
  role: 'service',
  version,
  replicas: 1,
  dependsOn,
});

describe('the shop as pods of the Kubernetes API stand-in', () => {
  const api = new KubeApiStandIn();
  let url = '';
  beforeAll(async () => {
    url = await api.start();
  });
  afterAll(() => api.stop());

  /** The objects as a client lists them (the real wire format). */
  async function list(path: string): Promise<KubeObject[]> {
    const body = (await (await fetch(`${url}${path}`)).json()) as List;
    return body.items;
  }
  const byName = async (path: string, name: string) => (await list(path)).find((o) => o.metadata.name === name);

  it('a workload is a Deployment with a ReplicaSet, pods with containers, a Service and its endpoints', async () => {
    const cluster = new ShopCluster({ api, node: 'demo-host' });
    const w = svc('catalogue');
    cluster.declare(w, 8081);
    const pod = cluster.podFor(w);
    expect(pod.containerId).toMatch(/^[0-9a-f]{64}$/);
    expect(pod.name).toMatch(new RegExp(`^catalogue-${templateHash(w)}-[a-z0-9]{5}$`));
    expect(pod.env).toEqual({}); // no cgroups given: the process is not told to move
    cluster.running(pod, 4242);
    cluster.settled(w);

    const dep = await byName('/apis/apps/v1/deployments', 'catalogue');
    expect(dep?.metadata).toMatchObject({
      namespace: 'shop',
      generation: 1,
      annotations: { 'deployment.kubernetes.io/revision': '1' },
    });
    expect(dep?.status).toMatchObject({ observedGeneration: 1, updatedReplicas: 1, availableReplicas: 1 });
    const rs = await byName('/apis/apps/v1/replicasets', `catalogue-${templateHash(w)}`);
    expect(rs?.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Deployment', name: 'catalogue' })]);
    const p = (await byName('/api/v1/pods', pod.name)) as KubeObject & {
      spec: { nodeName: string; hostNetwork: boolean };
      status: { containerStatuses: { containerID: string }[] };
    };
    expect(p.spec).toMatchObject({ nodeName: 'demo-host', hostNetwork: true });
    expect(p.status.containerStatuses[0].containerID).toBe(`containerd://${pod.containerId}`);
    expect(p.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'ReplicaSet', name: rs?.metadata.name }),
    ]);
    expect(await byName('/api/v1/services', 'catalogue')).toMatchObject({ spec: { clusterIP: 'None' } });
    const slice = (await list('/apis/discovery.k8s.io/v1/endpointslices')).find(
      (s) => (s.metadata.labels as Record<string, string>)['kubernetes.io/service-name'] === 'catalogue',
    ) as KubeObject & { endpoints: { targetRef: { name: string } }[] };
    expect(slice.endpoints.map((e) => e.targetRef.name)).toEqual([pod.name]);

    // a new version is a rollout: a new revision and ReplicaSet, the old one scaled to 0, a new pod name
    const v2 = svc('catalogue', '1.1.0');
    cluster.declare(v2, 8081);
    const during = await byName('/apis/apps/v1/deployments', 'catalogue');
    expect(during?.metadata).toMatchObject({
      generation: 2,
      annotations: { 'deployment.kubernetes.io/revision': '2' },
    });
    expect(during?.status).toMatchObject({ updatedReplicas: 0 }); // progressing
    cluster.stopped(pod);
    const pod2 = cluster.podFor(v2);
    cluster.running(pod2, 4343);
    cluster.settled(v2);
    expect(pod2.name).toMatch(new RegExp(`^catalogue-${templateHash(v2)}-`));
    expect(templateHash(v2)).not.toBe(templateHash(w));
    expect(pod2.containerId).not.toBe(pod.containerId);
    expect(await byName('/api/v1/pods', pod.name)).toBeUndefined();
    expect((await byName('/apis/apps/v1/replicasets', rs?.metadata.name ?? ''))?.spec).toMatchObject({ replicas: 0 });
    const newRs = await byName('/apis/apps/v1/replicasets', `catalogue-${templateHash(v2)}`);
    expect(newRs?.metadata.annotations).toEqual({ 'deployment.kubernetes.io/revision': '2' });
    expect((await byName('/apis/apps/v1/deployments', 'catalogue'))?.status).toMatchObject({
      observedGeneration: 2,
      updatedReplicas: 1,
      availableReplicas: 1,
    });
    expect(cluster.revisions()).toEqual({ catalogue: 2 });

    // scaling is no new revision; removing deletes the Deployment, its ReplicaSets and its Service
    cluster.declare({ ...v2, replicas: 0 }, 8081);
    cluster.stopped(pod2);
    expect((await byName('/apis/apps/v1/deployments', 'catalogue'))?.metadata).toMatchObject({
      generation: 3,
      annotations: { 'deployment.kubernetes.io/revision': '2' },
    });
    cluster.removed('catalogue');
    expect(await list('/apis/apps/v1/deployments')).toEqual([]);
    expect(await list('/apis/apps/v1/replicasets')).toEqual([]);
    expect(await list('/api/v1/services')).toEqual([]);
  });

  const support = clusterSupport(`${demoCgroupFolder()}-test`);
  (support.ok ? it : it.skip)('the supervisor runs each process in its pod’s container cgroup', async () => {
    if (!support.ok) return;
    const folder = `${demoCgroupFolder()}-test`;
    const cluster = new ShopCluster({ api, node: 'demo-host', cgroups: { hierarchy: support.hierarchy, folder } });
    const supervisor = new Supervisor(new PortPlan(0));
    supervisor.placeIn(cluster);
    try {
      await supervisor.apply([svc('db'), svc('web', '1.0.0', ['db'])]);
      const pods = (await list('/api/v1/pods')) as (KubeObject & {
        status: { containerStatuses: { containerID: string }[] };
      })[];
      expect(pods.map((p) => p.metadata.name.split('-')[0]).sort()).toEqual(['db', 'web']);
      for (const name of ['db', 'web']) {
        const [pid] = supervisor.pids(name);
        const pod = pods.find((p) => p.metadata.name.startsWith(`${name}-`));
        const id = pod?.status.containerStatuses[0].containerID.replace('containerd://', '');
        // what the exporter reads: the process is in the container the pod names
        expect(readFileSync(`/proc/${pid}/cgroup`, 'utf8')).toContain(`/${folder}/cri-containerd-${id}.scope`);
      }
    } finally {
      await supervisor.stop();
      expect(cluster.removeCgroups()).toBe(true);
    }
  });
});
