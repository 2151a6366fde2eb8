// Beyla's network flows, and the same metric under OpenTelemetry eBPF Instrumentation's name (OBI writes owner
// types in lower case where Beyla capitalises them: both are read case-insensitively).
import { kubeEndId } from './ends';
import { labelledAdapter } from './labelled';
import type { EdgeAdapter } from './types';

const BY = [
  'k8s_src_namespace',
  'k8s_src_owner_name',
  'k8s_src_owner_type',
  'k8s_dst_namespace',
  'k8s_dst_owner_name',
  'k8s_dst_owner_type',
] as const;

function flows(id: 'beyla' | 'obi', label: string, defaultMetric: string): EdgeAdapter {
  return labelledAdapter({
    id,
    label,
    defaultMetric,
    needs: ['k8s_src_owner_name', 'k8s_src_namespace', 'k8s_dst_owner_name', 'k8s_dst_namespace'],
    by: BY,
    presence: 'increase',
    value: 'group',
    kind: 'workload',
    skipsSelf: true,
    ends: (l) => [
      kubeEndId({ namespace: l.k8s_src_namespace, workload: l.k8s_src_owner_name, kind: l.k8s_src_owner_type }),
      kubeEndId({ namespace: l.k8s_dst_namespace, workload: l.k8s_dst_owner_name, kind: l.k8s_dst_owner_type }),
    ],
  });
}

export const beyla = flows('beyla', 'Beyla network flows', 'beyla_network_flow_bytes_total');
export const obi = flows('obi', 'OTel eBPF (OBI) network flows', 'obi_network_flow_bytes_total');
