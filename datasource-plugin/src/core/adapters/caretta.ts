// Caretta's links gauge: each end has a kind, a namespace and a name.
import { nodeId } from '@timescope/common';
import { labelledAdapter } from './labelled';
import { WORKLOAD_KINDS } from './types';

function carettaNode(kind: string, namespace: string, name: string): string {
  if (WORKLOAD_KINDS.has(kind)) return nodeId.workload(namespace, kind, name);
  if (kind === 'Pod') return nodeId.pod(namespace, name);
  if (kind === 'Node') return nodeId.host(name);
  if (kind === 'Service') return nodeId.service(namespace, name);
  return nodeId.external(name);
}

export const caretta = labelledAdapter({
  id: 'caretta',
  label: 'Caretta',
  defaultMetric: 'caretta_links_observed',
  needs: ['client_kind', 'client_name', 'server_kind', 'server_name'],
  by: ['client_kind', 'client_namespace', 'client_name', 'server_kind', 'server_namespace', 'server_name'],
  presence: 'sample',
  value: 'sum',
  kind: 'workload',
  ends: (l) =>
    l.client_name && l.server_name
      ? [
          carettaNode(l.client_kind ?? '', l.client_namespace ?? '', l.client_name),
          carettaNode(l.server_kind ?? '', l.server_namespace ?? '', l.server_name),
        ]
      : [undefined, undefined],
});
