// The cluster as topology nodes: pods with their owning workload (the top of the owner chain), workloads,
// services with their ready backends, namespaces and node addresses. Built from the informers' caches in one pass.
import { nodeId } from '@timescope/common';
import type { V1OwnerReference, V1Pod } from '@kubernetes/client-node';
import type { ClusterCache } from './informers';
import { text } from './labels';

export interface PodContainer {
  name: string;
  /** the first 12 hex digits, as in container node ids */
  id: string;
  runtime: string;
}

export interface PodView {
  id: string;
  namespace: string;
  name: string;
  uid: string;
  node: string;
  ip: string;
  hostNetwork: boolean;
  /** workload id, or '' for a bare pod */
  workload: string;
  containers: PodContainer[];
}

export interface WorkloadView {
  id: string;
  namespace: string;
  kind: string;
  name: string;
}

export interface ServiceView {
  id: string;
  namespace: string;
  name: string;
  clusterIp: string;
  type: string;
}

export interface ClusterModel {
  pods: PodView[];
  workloads: WorkloadView[];
  services: ServiceView[];
  /** one entry per ready endpoint that is a pod */
  backends: { service: string; pod: string }[];
  namespaces: string[];
  nodes: { name: string; addresses: string[] }[];
}

/** `containerd://<id>`, `docker://<id>`, `cri-o://<id>` -> runtime and the 12-digit id. */
export function parseContainerId(containerId: string | undefined): { runtime: string; id: string } | undefined {
  const m = /^([a-z0-9-]+):\/\/([0-9a-f]{12,64})$/.exec(containerId ?? '');
  return m ? { runtime: m[1], id: m[2].slice(0, 12) } : undefined;
}

function controllerOf(refs: V1OwnerReference[] | undefined): V1OwnerReference | undefined {
  return refs?.find((r) => r.controller) ?? refs?.[0];
}

type Owners = Map<string, V1OwnerReference | undefined>;

/** The top of a pod's owner chain: ReplicaSet -> Deployment, Job -> CronJob, else the direct controller. */
function workloadOf(pod: V1Pod, owners: Owners): { kind: string; name: string } | undefined {
  let ref = controllerOf(pod.metadata?.ownerReferences);
  const ns = pod.metadata?.namespace ?? '';
  for (let depth = 0; ref && depth < 4; depth++) {
    if (ref.kind !== 'ReplicaSet' && ref.kind !== 'Job') break;
    const up = owners.get(`${ref.kind}/${ns}/${ref.name}`);
    if (!up) break;
    ref = up;
  }
  return ref ? { kind: ref.kind, name: ref.name } : undefined;
}

export function buildClusterModel(cache: ClusterCache): ClusterModel {
  const owners: Owners = new Map();
  for (const rs of cache.list('replicasets')) {
    owners.set(`ReplicaSet/${rs.metadata?.namespace}/${rs.metadata?.name}`, controllerOf(rs.metadata?.ownerReferences));
  }
  for (const job of cache.list('jobs')) {
    owners.set(`Job/${job.metadata?.namespace}/${job.metadata?.name}`, controllerOf(job.metadata?.ownerReferences));
  }

  const workloads = new Map<string, WorkloadView>();
  const addWorkload = (namespace: string, kind: string, name: string): string => {
    const id = nodeId.workload(namespace, kind, text(name));
    if (!workloads.has(id)) workloads.set(id, { id, namespace, kind, name: text(name) });
    return id;
  };
  for (const kind of ['deployments', 'statefulsets', 'daemonsets', 'cronjobs'] as const) {
    const k = { deployments: 'Deployment', statefulsets: 'StatefulSet', daemonsets: 'DaemonSet', cronjobs: 'CronJob' }[
      kind
    ];
    for (const o of cache.list(kind)) addWorkload(text(o.metadata?.namespace), k, o.metadata?.name ?? '');
  }

  const pods: PodView[] = [];
  for (const p of cache.list('pods')) {
    const namespace = text(p.metadata?.namespace);
    const name = text(p.metadata?.name);
    const w = workloadOf(p, owners);
    const containers: PodContainer[] = [];
    for (const s of [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])]) {
      const c = parseContainerId(s.containerID);
      if (c) containers.push({ name: text(s.name), id: c.id, runtime: c.runtime });
    }
    pods.push({
      id: nodeId.pod(namespace, name),
      namespace,
      name,
      uid: text(p.metadata?.uid),
      node: text(p.spec?.nodeName),
      ip: text(p.status?.podIP),
      hostNetwork: p.spec?.hostNetwork === true,
      workload: w ? addWorkload(namespace, w.kind, w.name) : '',
      containers,
    });
  }

  const services: ServiceView[] = cache.list('services').map((s) => {
    const namespace = text(s.metadata?.namespace);
    const name = text(s.metadata?.name);
    const ip = s.spec?.clusterIP;
    return {
      id: nodeId.service(namespace, name),
      namespace,
      name,
      clusterIp: ip && ip !== 'None' ? text(ip) : '',
      type: text(s.spec?.type ?? 'ClusterIP'),
    };
  });

  const backends = new Map<string, { service: string; pod: string }>();
  for (const slice of cache.list('endpointslices')) {
    const namespace = text(slice.metadata?.namespace);
    const svc = slice.metadata?.labels?.['kubernetes.io/service-name'];
    if (!svc) continue;
    for (const e of slice.endpoints ?? []) {
      if (e.conditions?.ready === false || e.targetRef?.kind !== 'Pod' || !e.targetRef.name) continue;
      const b = { service: nodeId.service(namespace, text(svc)), pod: nodeId.pod(namespace, text(e.targetRef.name)) };
      backends.set(`${b.service} ${b.pod}`, b);
    }
  }

  const namespaces = cache.list('namespaces').map((n) => text(n.metadata?.name));
  const nodes = cache.list('nodes').map((n) => ({
    name: text(n.metadata?.name),
    addresses: (n.status?.addresses ?? [])
      .filter((a) => a.type === 'InternalIP' || a.type === 'ExternalIP')
      .map((a) => text(a.address)),
  }));

  return { pods, workloads: [...workloads.values()], services, backends: [...backends.values()], namespaces, nodes };
}
