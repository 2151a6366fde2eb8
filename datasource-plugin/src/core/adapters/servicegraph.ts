// The OpenTelemetry Collector's servicegraph connector and Tempo's metrics generator write the same service graph:
// request counters by client and server (optionally with their service namespaces), a failed-requests counter and
// a server latency histogram. The metric may carry a prefix; the others are named after it. Tempo's
// `<prefix>_connection_info` gauge, where present, keeps an edge present while sampling drops its requests.
import { nodeId, selector } from '@timescope/common';
import { requestFigures } from './figureQueries';
import { labelledAdapter } from './labelled';

const SUFFIX = '_request_total';

/** The name every series of the graph starts with: `traces_service_graph` for `traces_service_graph_request_total`. */
export function serviceGraphPrefix(metric: string): string {
  return metric.endsWith(SUFFIX) ? metric.slice(0, -SUFFIX.length) : metric;
}

const BY = ['client', 'server', 'client_service_namespace', 'server_service_namespace'] as const;

function service(namespace: string | undefined, name: string): string {
  return namespace ? nodeId.service(namespace, name) : nodeId.serviceWithoutNamespace(name);
}

export const tempo = labelledAdapter({
  id: 'tempo',
  label: 'Tempo / OTel servicegraph',
  defaultMetric: 'traces_service_graph_request_total',
  needs: ['client', 'server'],
  by: BY,
  presence: 'increase',
  alsoPresent: (metric) => selector(`${serviceGraphPrefix(metric)}_connection_info`),
  value: 'group',
  kind: 'service',
  // without a namespace the id keeps the service kind (service:<name>), so the panel draws services
  ends: (l) =>
    l.client && l.server
      ? [service(l.client_service_namespace, l.client), service(l.server_service_namespace, l.server)]
      : [undefined, undefined],
  figures(metric, windowMs) {
    const p = serviceGraphPrefix(metric);
    return requestFigures(BY, windowMs, {
      requests: metric,
      failed: `${p}_request_failed_total`,
      buckets: `${p}_request_server_seconds_bucket`,
    });
  },
});
