// Coroot's node agent: active TCP connections of a container to an IP:port. The client is named by Coroot's
// container id (`/k8s/<namespace>/<pod>/<container>`); the server only by its address (after NAT when
// `actual_destination` is set), which the topology resolves to the pod holding that IP at each instant
// (topology.ts, addressEnds.ts), so a new pod reusing an old IP does not inherit the old pod's edges.
import { nodeId } from '@timescope/common';
import { labelledAdapter } from './labelled';

/** The end an address stands for until it is resolved: `address:<ip>`. */
export const ADDRESS_END = 'address:';

/** The IP of `ip:port`, `[v6]:port` or a bare address. */
export function hostOf(endpoint: string): string {
  const v6 = /^\[([^\]]*)\](?::\d+)?$/.exec(endpoint);
  if (v6) return v6[1];
  const i = endpoint.lastIndexOf(':');
  return i > 0 && endpoint.indexOf(':') === i ? endpoint.slice(0, i) : endpoint;
}

/** pod:<ns>/<pod> for `/k8s/<ns>/<pod>/<container>`; other runtimes' containers have no pod. */
export function corootContainerEnd(containerId: string): string | undefined {
  const m = /^\/k8s\/([^/]+)\/([^/]+)\//.exec(containerId);
  return m ? nodeId.pod(m[1], m[2]) : undefined;
}

export const coroot = labelledAdapter({
  id: 'coroot',
  label: 'Coroot node agent',
  defaultMetric: 'container_net_tcp_active_connections',
  needs: ['container_id', 'destination'],
  by: ['container_id', 'destination', 'actual_destination'],
  presence: 'positive',
  value: 'sum',
  kind: 'pod',
  ends(l) {
    const to = l.actual_destination || l.destination;
    return [
      l.container_id ? corootContainerEnd(l.container_id) : undefined,
      to ? `${ADDRESS_END}${hostOf(to)}` : undefined,
    ];
  },
  resolvesAddresses: true,
});
