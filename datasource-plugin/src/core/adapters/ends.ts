// Node ids of Kubernetes ends named by a namespace, a controller kind and name, a pod or an address, as the eBPF
// flow sources (Beyla, OBI, Hubble, Retina) label them: the most specific workload id they allow.
import { nodeId } from '@timescope/common';
import { canonicalKind, WORKLOAD_KINDS } from './types';

export interface KubeEnd {
  namespace?: string;
  /** the owning controller's name and kind (any case) */
  workload?: string;
  kind?: string;
  pod?: string;
  address?: string;
}

/** workload:<ns>/<Kind>/<name>, workload:<ns>/<name> (kind unknown), pod, host, or external:<address>. */
export function kubeEndId(e: KubeEnd): string | undefined {
  const kind = canonicalKind(e.kind);
  if (e.workload && e.namespace) {
    if (WORKLOAD_KINDS.has(kind)) return nodeId.workload(e.namespace, kind, e.workload);
    if (kind === 'Pod') return nodeId.pod(e.namespace, e.workload);
    if (kind === 'Service') return nodeId.service(e.namespace, e.workload);
    return nodeId.workloadWithoutKind(e.namespace, e.workload);
  }
  if (kind === 'Node' && e.workload) return nodeId.host(e.workload);
  if (e.pod && e.namespace) return nodeId.pod(e.namespace, e.pod);
  if (e.address) return nodeId.external(e.address);
  return undefined;
}
