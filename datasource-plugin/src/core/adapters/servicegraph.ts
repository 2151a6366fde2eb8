// The OpenTelemetry Collector's servicegraph connector and Tempo's metrics generator write the same service graph:
// request counters by client and server (optionally with their service namespaces), a failed-requests counter and
// a server latency histogram. The metric may carry a prefix; the others are named after it. Tempo's
// `<prefix>_connection_info` gauge, where present, keeps an edge present while sampling drops its requests.
import { nodeId, selector } from '@timescope/common';
import { requestFigures, type EdgeAdapter } from './types';

const SUFFIX = '_request_total';

/** The name every series of the graph starts with: `traces_service_graph` for `traces_service_graph_request_total`. */
export function serviceGraphPrefix(metric: string): string {
  return metric.endsWith(SUFFIX) ? metric.slice(0, -SUFFIX.length) : metric;
}

const BY = ['client', 'server', 'client_service_namespace', 'server_service_namespace'] as const;

function service(namespace: string | undefined, name: string): string {
  return namespace ? nodeId.service(namespace, name) : nodeId.serviceWithoutNamespace(name);
}

export const tempo: EdgeAdapter = {
  id: 'tempo',
  label: 'Tempo / OTel servicegraph',
  defaultMetric: 'traces_service_graph_request_total',
  needs: ['client', 'server'],
  family(metric) {
    return {
      by: BY,
      selector: selector(metric),
      presence: 'increase',
      alsoPresent: selector(`${serviceGraphPrefix(metric)}_connection_info`),
      value: 'group',
    };
  },
  toEdge(l) {
    // without a namespace the id keeps the service kind (service:<name>), so the panel draws services
    return l.client && l.server
      ? {
          source: service(l.client_service_namespace, l.client),
          target: service(l.server_service_namespace, l.server),
          kind: 'service',
        }
      : undefined;
  },
  figures(metric, windowMs) {
    const p = serviceGraphPrefix(metric);
    return requestFigures(BY, windowMs, {
      requests: selector(metric),
      failed: selector(`${p}_request_failed_total`),
      buckets: selector(`${p}_request_server_seconds_bucket`),
    });
  },
};
