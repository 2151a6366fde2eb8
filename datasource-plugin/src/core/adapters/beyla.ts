// Beyla's network flows, and the same metric under OpenTelemetry eBPF Instrumentation's name (OBI writes owner
// types in lower case where Beyla capitalises them: both are read case-insensitively).
import { selector } from '@timescope/common';
import { kubeEndId } from './ends';
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
  return {
    id,
    label,
    defaultMetric,
    needs: ['k8s_src_owner_name', 'k8s_src_namespace', 'k8s_dst_owner_name', 'k8s_dst_namespace'],
    family(metric) {
      return { by: BY, selector: selector(metric), presence: 'increase', value: 'group' };
    },
    toEdge(l) {
      const source = kubeEndId({
        namespace: l.k8s_src_namespace,
        workload: l.k8s_src_owner_name,
        kind: l.k8s_src_owner_type,
      });
      const target = kubeEndId({
        namespace: l.k8s_dst_namespace,
        workload: l.k8s_dst_owner_name,
        kind: l.k8s_dst_owner_type,
      });
      return source && target && source !== target ? { source, target, kind: 'workload' } : undefined;
    },
  };
}

export const beyla = flows('beyla', 'Beyla network flows', 'beyla_network_flow_bytes_total');
export const obi = flows('obi', 'OTel eBPF (OBI) network flows', 'obi_network_flow_bytes_total');
