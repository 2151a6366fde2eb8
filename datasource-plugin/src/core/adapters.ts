// Edge sources: each adapter turns its own metric's labels into our edges (source and target node ids), so a user
// with Tempo's service graph, Istio or Caretta gets the same time travel as with the Timescope exporter.
import { anyOf, Label, Metric, nodeId, selector } from '@timescope/common';
import { seriesFamily, type Family } from './queryBuilder';
import type { EdgeSource, View } from './query';

export interface EdgeEnds {
  source: string;
  target: string;
  /** what the edge connects, e.g. `service` */
  kind: string;
}

export interface EdgeAdapter {
  id: EdgeSource;
  label: string;
  defaultMetric: string;
  /**
   * The family of edge series for a view (the view matters only to the Timescope source). Filters on nodes apply
   * to the edges' ends after the query (an edge is kept when both ends pass), since PromQL cannot `or` matchers.
   */
  family(metric: string, view: View): Family;
  /** the edge one series of that family stands for (undefined: skip it) */
  toEdge(labels: Record<string, string>): EdgeEnds | undefined;
}

const timescope: EdgeAdapter = {
  id: 'timescope',
  label: 'Timescope exporter',
  defaultMetric: Metric.EdgeConnections,
  family(metric, view) {
    return seriesFamily([metric], [{ label: Label.Kind, op: '=', value: view }], {
      by: [Label.Source, Label.Target],
      presence: 'positive',
      value: 'sum',
    });
  },
  toEdge(l) {
    return l.source && l.target ? { source: l.source, target: l.target, kind: l.kind ?? '' } : undefined;
  },
};

const tempo: EdgeAdapter = {
  id: 'tempo',
  label: 'Tempo service graph',
  defaultMetric: 'traces_service_graph_request_total',
  family(metric) {
    return {
      by: ['client', 'server'],
      selector: selector(metric),
      presence: 'increase',
      value: 'sum',
    };
  },
  toEdge(l) {
    // Tempo names services without a namespace; the id keeps the service kind so the panel draws services
    return l.client && l.server
      ? {
          source: nodeId.serviceWithoutNamespace(l.client),
          target: nodeId.serviceWithoutNamespace(l.server),
          kind: 'service',
        }
      : undefined;
  },
};

const istio: EdgeAdapter = {
  id: 'istio',
  label: 'Istio',
  defaultMetric: 'istio_requests_total',
  family(metric) {
    return {
      by: ['source_workload_namespace', 'source_workload', 'destination_workload_namespace', 'destination_workload'],
      selector: selector(metric, [
        { label: 'source_workload', op: '!~', value: '|unknown' },
        { label: 'destination_workload', op: '!~', value: '|unknown' },
      ]),
      presence: 'increase',
      value: 'sum',
    };
  },
  toEdge(l) {
    // Istio does not say the workload's controller kind: ids are workload:<namespace>/<name>
    return {
      source: nodeId.workloadWithoutKind(l.source_workload_namespace, l.source_workload),
      target: nodeId.workloadWithoutKind(l.destination_workload_namespace, l.destination_workload),
      kind: 'workload',
    };
  },
};

/** Caretta kinds that name a Kubernetes workload controller. */
const CARETTA_WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob']);

function carettaNode(kind: string, namespace: string, name: string): string {
  if (CARETTA_WORKLOAD_KINDS.has(kind)) return nodeId.workload(namespace, kind, name);
  if (kind === 'Pod') return nodeId.pod(namespace, name);
  if (kind === 'Node') return nodeId.host(name);
  if (kind === 'Service') return nodeId.service(namespace, name);
  return nodeId.external(name);
}

const caretta: EdgeAdapter = {
  id: 'caretta',
  label: 'Caretta',
  defaultMetric: 'caretta_links_observed',
  family(metric) {
    return {
      by: ['client_kind', 'client_namespace', 'client_name', 'server_kind', 'server_namespace', 'server_name'],
      selector: selector(metric),
      presence: 'sample',
      value: 'sum',
    };
  },
  toEdge(l) {
    if (!l.client_name || !l.server_name) return undefined;
    return {
      source: carettaNode(l.client_kind ?? '', l.client_namespace ?? '', l.client_name),
      target: carettaNode(l.server_kind ?? '', l.server_namespace ?? '', l.server_name),
      kind: 'workload',
    };
  },
};

export const ADAPTERS: Readonly<Record<EdgeSource, EdgeAdapter>> = { timescope, tempo, istio, caretta };

/** A regex matching the filter's value(s) literally (`a|b`, as a multi-value variable expands, means a or b). */
export function exactValues(v: string): string {
  return anyOf(v.split('|'));
}
