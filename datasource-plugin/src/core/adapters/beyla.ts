// Beyla's network flows, and the same metric under OpenTelemetry eBPF Instrumentation's name (OBI writes owner
// types in lower case where Beyla capitalises them: both are read case-insensitively). Both label flows with the
// cluster (`k8s_cluster_name`): while the series of a query hold one cluster, ids are the cluster-less ones every
// source writes (so Beyla's edges meet ours); once they hold several, each id is qualified `<id>@<cluster>`, so
// the same-named workloads of two clusters stay two nodes (Kubernetes names never hold `@`).
import { kubeEndId } from './ends';
import { labelledAdapter } from './labelled';
import type { EdgeAdapter } from './types';

const CLUSTER = 'k8s_cluster_name';

const BY = [
  'k8s_src_namespace',
  'k8s_src_owner_name',
  'k8s_src_owner_type',
  'k8s_dst_namespace',
  'k8s_dst_owner_name',
  'k8s_dst_owner_type',
  CLUSTER,
] as const;

/** `<id>@<cluster>`: an end's id in one of several clusters. */
export function inCluster(id: string | undefined, cluster: string | undefined): string | undefined {
  return id && cluster ? `${id}@${cluster}` : id;
}

function severalClusters(objects: readonly Record<string, string>[]): boolean {
  return new Set(objects.map((o) => o[CLUSTER] ?? '').filter((c) => c !== '')).size > 1;
}

function flows(id: 'beyla' | 'obi', label: string, defaultMetric: string, byCluster = false): EdgeAdapter {
  const adapter = labelledAdapter({
    id,
    label,
    defaultMetric,
    needs: ['k8s_src_owner_name', 'k8s_src_namespace', 'k8s_dst_owner_name', 'k8s_dst_namespace'],
    by: BY,
    presence: 'increase',
    value: 'group',
    kind: 'workload',
    skipsSelf: true,
    ends(l) {
      const cluster = byCluster ? l[CLUSTER] : undefined;
      return [
        inCluster(
          kubeEndId({ namespace: l.k8s_src_namespace, workload: l.k8s_src_owner_name, kind: l.k8s_src_owner_type }),
          cluster,
        ),
        inCluster(
          kubeEndId({ namespace: l.k8s_dst_namespace, workload: l.k8s_dst_owner_name, kind: l.k8s_dst_owner_type }),
          cluster,
        ),
      ];
    },
  });
  if (byCluster) return adapter;
  const qualified = flows(id, label, defaultMetric, true);
  return { ...adapter, forObjects: (objects) => (severalClusters(objects) ? qualified : adapter) };
}

export const beyla = flows('beyla', 'Beyla network flows', 'beyla_network_flow_bytes_total');
export const obi = flows('obi', 'OTel eBPF (OBI) network flows', 'obi_network_flow_bytes_total');
