// The cluster model as the series of docs/metrics.md ("Kubernetes"). Every `_info` series carries the common node
// labels node, kind, name, host, namespace and parent.
import { KubernetesMetric, Metric, NodeKind, nodeId } from '@timescope/common';
import type { MetricFamily, Sample } from '../../runtime/source';
import type { ClusterModel } from './clusterModel';

function info(name: string, help: string, samples: Sample[]): MetricFamily {
  return { name, help, type: 'gauge', samples };
}

export function clusterSeries(m: ClusterModel): MetricFamily[] {
  const pods: Sample[] = [];
  const containers: Sample[] = [];
  for (const p of m.pods) {
    const parent = p.node ? nodeId.host(p.node) : '';
    pods.push({
      labels: {
        node: p.id,
        kind: NodeKind.Pod,
        name: p.name,
        host: p.node,
        namespace: p.namespace,
        parent,
        pod_ip: p.ip,
        uid: p.uid,
        workload: p.workload,
        host_network: p.hostNetwork ? 'true' : 'false',
      },
      value: 1,
    });
    for (const c of p.containers) {
      containers.push({
        labels: {
          node: nodeId.container(p.node, c.id),
          kind: NodeKind.Container,
          name: c.name,
          host: p.node,
          namespace: p.namespace,
          parent: p.id,
          pod: p.id,
          container_id: c.id,
          container: c.name,
          runtime: c.runtime,
        },
        value: 1,
      });
    }
  }
  const workloads = m.workloads.map((w) => ({
    labels: {
      node: w.id,
      kind: NodeKind.Workload,
      name: w.name,
      host: '',
      namespace: w.namespace,
      parent: nodeId.namespace(w.namespace),
      workload_kind: w.kind,
    },
    value: 1,
  }));
  const services = m.services.map((s) => ({
    labels: {
      node: s.id,
      kind: NodeKind.Service,
      name: s.name,
      host: '',
      namespace: s.namespace,
      parent: nodeId.namespace(s.namespace),
      cluster_ip: s.clusterIp,
      service_type: s.type,
    },
    value: 1,
  }));
  const backends = m.backends.map((b) => ({ labels: { service: b.service, pod: b.pod }, value: 1 }));
  const namespaces = m.namespaces.map((n) => ({
    labels: { node: nodeId.namespace(n), kind: NodeKind.Namespace, name: n, host: '', namespace: n, parent: '' },
    value: 1,
  }));
  const addresses: Sample[] = [];
  for (const n of m.nodes)
    for (const address of n.addresses)
      addresses.push({ labels: { node: nodeId.host(n.name), host: n.name, address }, value: 1 });

  return [
    info(KubernetesMetric.PodInfo, 'A Kubernetes pod; host is its node, workload the top of its owner chain.', pods),
    info(KubernetesMetric.PodContainerInfo, 'A container of a pod (from its container statuses).', containers),
    info(
      KubernetesMetric.WorkloadInfo,
      'A Kubernetes workload (Deployment, StatefulSet, DaemonSet, CronJob, ...).',
      workloads,
    ),
    info(KubernetesMetric.ServiceInfo, 'A Kubernetes service.', services),
    info(KubernetesMetric.ServiceBackend, 'A ready endpoint of a service that is a pod.', backends),
    info(KubernetesMetric.NamespaceInfo, 'A Kubernetes namespace.', namespaces),
    info(Metric.HostAddressInfo, 'An IP address of a host (here: a Kubernetes node address).', addresses),
  ];
}
