import { deploymentObject, endpointSliceObject, podObject, replicaSetObject } from './kubeObjects';

const template = { labels: { app: 'carts' }, containers: [{ name: 'carts', image: 'shop/carts:1.0' }] };

describe('Kubernetes object makers', () => {
  it('chain a pod to its Deployment through the ReplicaSet, as the exporter follows owner references', () => {
    const deployment = deploymentObject({
      namespace: 'shop',
      name: 'carts',
      uid: 'd1',
      generation: 2,
      revision: 2,
      replicas: 1,
      template,
      status: { current: 1, settled: false },
    });
    const rs = replicaSetObject({
      namespace: 'shop',
      name: 'carts-5f6b',
      uid: 'rs1',
      created: '2026-12-01T10:00:00Z',
      revision: 2,
      hash: '5f6b',
      owner: { kind: 'Deployment', name: 'carts', uid: 'd1' },
      replicas: 1,
      template,
    });
    const pod = podObject({
      namespace: 'shop',
      name: 'carts-5f6b-x2x1q',
      uid: 'p1',
      created: '2026-12-01T10:00:01Z',
      labels: { app: 'carts', 'pod-template-hash': '5f6b' },
      owner: { kind: 'ReplicaSet', name: 'carts-5f6b', uid: 'rs1' },
      node: 'node-a',
      hostNetwork: false,
      podIp: '10.0.0.7',
      container: template.containers[0],
      containerId: 'a'.repeat(64),
    });
    expect(pod.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'ReplicaSet', uid: 'rs1' })]);
    expect(rs.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Deployment', uid: 'd1' })]);
    expect(rs.spec).toMatchObject({ selector: { matchLabels: pod.metadata.labels } });
    expect(deployment.metadata.annotations).toEqual({ 'deployment.kubernetes.io/revision': '2' });
    expect(deployment.status).toMatchObject({ observedGeneration: 2, updatedReplicas: 0 });
    expect(pod.status).toMatchObject({
      podIP: '10.0.0.7',
      containerStatuses: [{ name: 'carts', containerID: `containerd://${'a'.repeat(64)}` }],
    });
  });

  it('name each endpoint’s pod in the slice of its Service', () => {
    const slice = endpointSliceObject({
      namespace: 'shop',
      name: 'carts-abcde',
      service: 'carts',
      port: 8080,
      endpoints: [{ address: '10.0.0.7', node: 'node-a', pod: 'carts-5f6b-x2x1q' }],
    });
    expect(slice.metadata.labels).toEqual({ 'kubernetes.io/service-name': 'carts' });
    expect(slice.endpoints).toEqual([
      expect.objectContaining({
        addresses: ['10.0.0.7'],
        targetRef: { kind: 'Pod', namespace: 'shop', name: 'carts-5f6b-x2x1q' },
      }),
    ]);
  });
});
