// The Kubernetes objects (v1 shapes) that the fake API server serves for the multi-host test: one Deployment per
// stateless service, a StatefulSet for the database whose pod uses the host network, a Service and an EndpointSlice
// per workload, and the three nodes with their addresses.
import type { KubeObject } from '@timescope/common/standins';

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

const ns = 'shop';
const ts = '2026-11-25T06:00:00Z';

function owner(kind: string, name: string): object[] {
  return [{ apiVersion: 'apps/v1', kind, name, uid: `uid-${name}`, controller: true, blockOwnerDeletion: true }];
}

export function clusterObjects(nodes: { name: string; address: string }[], pods: PodSpec[]): KubeObject[] {
  const out: KubeObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns }, status: { phase: 'Active' } },
    ...nodes.map((n) => ({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: n.name },
      status: {
        addresses: [
          { type: 'InternalIP', address: n.address },
          { type: 'Hostname', address: n.name },
        ],
      },
    })),
  ];
  for (const p of pods) {
    const template = {
      metadata: { labels: { app: p.workload } },
      spec: { containers: [{ name: p.workload, image: `shop/${p.workload}:1.0` }] },
    };
    let podName: string;
    let podOwner: object[];
    if (p.kind === 'Deployment') {
      const rs = `${p.workload}-6f7c9d`;
      podName = `${rs}-x2x1q`;
      podOwner = owner('ReplicaSet', rs);
      out.push({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {
          name: p.workload,
          namespace: ns,
          generation: 1,
          annotations: { 'deployment.kubernetes.io/revision': '1' },
        },
        spec: { replicas: 1, selector: { matchLabels: { app: p.workload } }, template },
        status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 },
      });
      out.push({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: rs, namespace: ns, ownerReferences: owner('Deployment', p.workload) },
        spec: { replicas: 1, selector: { matchLabels: { app: p.workload } }, template },
        status: { replicas: 1 },
      });
    } else {
      podName = `${p.workload}-0`;
      podOwner = owner('StatefulSet', p.workload);
      out.push({
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: p.workload, namespace: ns, generation: 1 },
        spec: { replicas: 1, serviceName: p.workload, selector: { matchLabels: { app: p.workload } }, template },
        status: { observedGeneration: 1, replicas: 1, readyReplicas: 1, updatedReplicas: 1 },
      });
    }
    out.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: podName,
        namespace: ns,
        creationTimestamp: ts,
        labels: { app: p.workload },
        ownerReferences: podOwner,
      },
      spec: { nodeName: p.node, hostNetwork: p.hostNetwork, containers: template.spec.containers },
      status: {
        phase: 'Running',
        podIP: p.podIp,
        podIPs: [{ ip: p.podIp }],
        containerStatuses: [
          {
            name: p.workload,
            containerID: `containerd://${p.containerId}`,
            image: `shop/${p.workload}:1.0`,
            imageID: '',
            ready: true,
            restartCount: 0,
          },
        ],
      },
    });
    out.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: p.workload, namespace: ns },
      spec: {
        type: 'ClusterIP',
        clusterIP: p.clusterIp,
        selector: { app: p.workload },
        ports: [{ port: 80, targetPort: p.port, protocol: 'TCP' }],
      },
    });
    out.push({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `${p.workload}-abcde`, namespace: ns, labels: { 'kubernetes.io/service-name': p.workload } },
      addressType: 'IPv4',
      ports: [{ port: p.port, protocol: 'TCP' }],
      endpoints: [
        {
          addresses: [p.podIp],
          conditions: { ready: true, serving: true, terminating: false },
          nodeName: p.node,
          targetRef: { kind: 'Pod', namespace: ns, name: podName },
        },
      ],
    });
  }
  return out;
}
