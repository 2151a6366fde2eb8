// The Kubernetes objects (v1 shapes) that the fake API server serves for the multi-host test: one Deployment per
// stateless service, a StatefulSet for the database whose pod uses the host network, a Service and an EndpointSlice
// per workload, and the three nodes with their addresses.
import {
  deploymentObject,
  endpointSliceObject,
  namespaceObject,
  nodeObject,
  podObject,
  replicaSetObject,
  serviceObject,
  statefulSetObject,
  type KubeObject,
  type Labels,
  type OwnerRef,
  type PodTemplate,
} from '@timescope/common/standins';

export interface PodSpec {
  workload: string;
  kind: 'Deployment' | 'StatefulSet';
  node: string;
  podIp: string;
  hostNetwork: boolean;
  /** 64 hex */
  containerId: string;
  port: number;
  clusterIp: string;
}

const namespace = 'shop';
const created = '2026-11-25T06:00:00Z';
const hash = '6f7c9d';

/** The workload objects of one pod's workload, and the pod's name and owner. */
function workloadObjects(p: PodSpec, template: PodTemplate): { objects: KubeObject[]; pod: string; owner: OwnerRef } {
  const uid = `uid-${p.workload}`;
  if (p.kind === 'StatefulSet') {
    const objects = [statefulSetObject({ namespace, name: p.workload, uid, replicas: 1, template })];
    return { objects, pod: `${p.workload}-0`, owner: { kind: 'StatefulSet', name: p.workload, uid } };
  }
  const rs = `${p.workload}-${hash}`;
  const objects = [
    deploymentObject({
      namespace,
      name: p.workload,
      uid,
      generation: 1,
      revision: 1,
      replicas: 1,
      template,
      status: { current: 1, settled: true },
    }),
    replicaSetObject({
      namespace,
      name: rs,
      uid: `uid-${rs}`,
      created,
      revision: 1,
      hash,
      owner: { kind: 'Deployment', name: p.workload, uid },
      replicas: 1,
      template,
    }),
  ];
  return { objects, pod: `${rs}-x2x1q`, owner: { kind: 'ReplicaSet', name: rs, uid: `uid-${rs}` } };
}

function podObjects(p: PodSpec): KubeObject[] {
  const container = { name: p.workload, image: `shop/${p.workload}:1.0` };
  const template = { labels: { app: p.workload }, containers: [container] };
  const { objects, pod, owner } = workloadObjects(p, template);
  const labels: Labels = { app: p.workload, ...(p.kind === 'Deployment' ? { 'pod-template-hash': hash } : {}) };
  return [
    ...objects,
    podObject({
      namespace,
      name: pod,
      uid: `uid-${pod}`,
      created,
      labels,
      owner,
      node: p.node,
      hostNetwork: p.hostNetwork,
      podIp: p.podIp,
      container,
      containerId: p.containerId,
    }),
    serviceObject({ namespace, name: p.workload, clusterIp: p.clusterIp, ports: [{ port: 80, targetPort: p.port }] }),
    endpointSliceObject({
      namespace,
      name: `${p.workload}-abcde`,
      service: p.workload,
      port: p.port,
      endpoints: [{ address: p.podIp, node: p.node, pod }],
    }),
  ];
}

export function clusterObjects(nodes: { name: string; address: string }[], pods: PodSpec[]): KubeObject[] {
  return [
    namespaceObject(namespace),
    ...nodes.map((n) => nodeObject({ name: n.name, internalIp: n.address })),
    ...pods.flatMap(podObjects),
  ];
}
