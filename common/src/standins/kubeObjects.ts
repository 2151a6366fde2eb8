// Makers for the Kubernetes objects the stand-in API server serves, in the v1 shapes a real API server sends: the
// demo's cluster and the multi-host test build their Deployments, ReplicaSets, StatefulSets, Pods, Services and
// EndpointSlices here, so the fields the exporter reads (owner references, container ids, pod IPs, slice targets)
// are written one way.
import type { KubeObject } from './kubeApi';

export type Labels = Record<string, string>;

/** The controller of an object: a Deployment owns ReplicaSets, a ReplicaSet or a StatefulSet owns Pods. */
export interface OwnerRef {
  kind: 'Deployment' | 'ReplicaSet' | 'StatefulSet';
  name: string;
  uid: string;
}

export interface ContainerSpec {
  name: string;
  image: string;
  env?: { name: string; value: string }[];
  ports?: { containerPort: number }[];
}

/** A pod template: what a workload's pods are made of. */
export interface PodTemplate {
  labels: Labels;
  containers: ContainerSpec[];
}

const ownerReferences = (o: OwnerRef): object[] => [
  { apiVersion: 'apps/v1', kind: o.kind, name: o.name, uid: o.uid, controller: true, blockOwnerDeletion: true },
];

const templateObject = (t: PodTemplate): object => ({
  metadata: { labels: t.labels },
  spec: { containers: t.containers },
});

const revisionAnnotation = (revision: number): Labels => ({ 'deployment.kubernetes.io/revision': String(revision) });

export function namespaceObject(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name }, status: { phase: 'Active' } };
}

export function nodeObject(o: { name: string; internalIp?: string }): KubeObject {
  const addresses = [
    ...(o.internalIp ? [{ type: 'InternalIP', address: o.internalIp }] : []),
    { type: 'Hostname', address: o.name },
  ];
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: o.name, labels: { 'kubernetes.io/hostname': o.name } },
    status: { addresses, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

export interface DeploymentFields {
  namespace: string;
  name: string;
  uid: string;
  generation: number;
  revision: number;
  replicas: number;
  template: PodTemplate;
  /** pods running the current template, and whether the rollout has finished */
  status: { current: number; settled: boolean };
}

export function deploymentObject(d: DeploymentFields): KubeObject {
  const { current, settled } = d.status;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: d.name,
      namespace: d.namespace,
      uid: d.uid,
      generation: d.generation,
      labels: { app: d.name },
      annotations: revisionAnnotation(d.revision),
    },
    spec: { replicas: d.replicas, selector: { matchLabels: { app: d.name } }, template: templateObject(d.template) },
    status: {
      observedGeneration: d.generation,
      replicas: current,
      updatedReplicas: settled ? current : 0,
      readyReplicas: current,
      availableReplicas: current,
      conditions: [
        { type: 'Progressing', status: 'True', reason: settled ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated' },
      ],
    },
  };
}

export interface ReplicaSetFields {
  namespace: string;
  name: string;
  uid: string;
  created: string;
  revision: number;
  /** the pod-template-hash: the ReplicaSet's name ends with it, its pods carry it as a label */
  hash: string;
  owner: OwnerRef;
  replicas: number;
  template: PodTemplate;
}

export function replicaSetObject(r: ReplicaSetFields): KubeObject {
  const labels = { ...r.template.labels, 'pod-template-hash': r.hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: r.name,
      namespace: r.namespace,
      uid: r.uid,
      creationTimestamp: r.created,
      labels,
      annotations: revisionAnnotation(r.revision),
      ownerReferences: ownerReferences(r.owner),
    },
    spec: { replicas: r.replicas, selector: { matchLabels: labels }, template: templateObject(r.template) },
    status: { replicas: r.replicas },
  };
}

export function statefulSetObject(s: {
  namespace: string;
  name: string;
  uid: string;
  replicas: number;
  template: PodTemplate;
}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: s.name, namespace: s.namespace, uid: s.uid, generation: 1 },
    spec: {
      replicas: s.replicas,
      serviceName: s.name,
      selector: { matchLabels: { app: s.name } },
      template: templateObject(s.template),
    },
    status: { observedGeneration: 1, replicas: s.replicas, readyReplicas: s.replicas, updatedReplicas: s.replicas },
  };
}

export interface PodFields {
  namespace: string;
  name: string;
  uid: string;
  created: string;
  labels: Labels;
  owner: OwnerRef;
  node: string;
  hostNetwork: boolean;
  podIp: string;
  hostIp?: string;
  container: ContainerSpec;
  /** 64 hex: the id the container runtime gives the container, as its cgroup names it */
  containerId: string;
}

export function podObject(p: PodFields): KubeObject {
  const c = p.container;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: p.name,
      namespace: p.namespace,
      uid: p.uid,
      creationTimestamp: p.created,
      labels: p.labels,
      ownerReferences: ownerReferences(p.owner),
    },
    spec: { nodeName: p.node, hostNetwork: p.hostNetwork, containers: [c] },
    status: {
      phase: 'Running',
      ...(p.hostIp ? { hostIP: p.hostIp } : {}),
      podIP: p.podIp,
      podIPs: [{ ip: p.podIp }],
      startTime: p.created,
      containerStatuses: [
        {
          name: c.name,
          containerID: `containerd://${p.containerId}`,
          image: c.image,
          imageID: '',
          ready: true,
          started: true,
          restartCount: 0,
          state: { running: { startedAt: p.created } },
        },
      ],
    },
  };
}

export interface ServicePort {
  port: number;
  targetPort: number;
}

/** A ClusterIP Service selecting `app: name`; clusterIp 'None' makes it headless. */
export function serviceObject(s: {
  namespace: string;
  name: string;
  clusterIp: string;
  ports: ServicePort[];
}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: s.name, namespace: s.namespace, labels: { app: s.name } },
    spec: {
      type: 'ClusterIP',
      clusterIP: s.clusterIp,
      selector: { app: s.name },
      ports: s.ports.map((p) => ({ name: 'http', port: p.port, targetPort: p.targetPort, protocol: 'TCP' })),
    },
  };
}

export interface SliceEndpoint {
  address: string;
  node: string;
  pod: string;
}

/** The EndpointSlice of a Service: one ready endpoint per pod behind it. */
export function endpointSliceObject(e: {
  namespace: string;
  name: string;
  service: string;
  port: number;
  endpoints: SliceEndpoint[];
}): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: e.name, namespace: e.namespace, labels: { 'kubernetes.io/service-name': e.service } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: e.port, protocol: 'TCP' }],
    endpoints: e.endpoints.map((p) => ({
      addresses: [p.address],
      conditions: { ready: true, serving: true, terminating: false },
      nodeName: p.node,
      targetRef: { kind: 'Pod', namespace: e.namespace, name: p.pod },
    })),
  };
}
