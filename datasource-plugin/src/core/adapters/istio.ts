// Istio's request counter, by source and destination workload (Istio does not say the controller kind).
import { nodeId, selector } from '@timescope/common';
import type { EdgeAdapter } from './types';

export const istio: EdgeAdapter = {
  id: 'istio',
  label: 'Istio',
  defaultMetric: 'istio_requests_total',
  needs: ['source_workload_namespace', 'source_workload', 'destination_workload_namespace', 'destination_workload'],
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
    return {
      source: nodeId.workloadWithoutKind(l.source_workload_namespace, l.source_workload),
      target: nodeId.workloadWithoutKind(l.destination_workload_namespace, l.destination_workload),
      kind: 'workload',
    };
  },
};
