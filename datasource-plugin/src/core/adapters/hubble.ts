// Cilium Hubble's flow counter and its HTTP counter (L7 figures), with the `labelsContext` labels
// (source_namespace, source_workload, source_workload_kind, source_pod, source_ip and the destination_* ones).
import { kubeEndId } from './ends';
import { requestFigures } from './figureQueries';
import { labelledAdapter } from './labelled';
import type { EdgeAdapter } from './types';

const SIDES = ['source', 'destination'] as const;
const BY = SIDES.flatMap((s) => [`${s}_namespace`, `${s}_workload`, `${s}_workload_kind`, `${s}_pod`]);

function end(l: Record<string, string>, side: (typeof SIDES)[number]): string | undefined {
  return kubeEndId({
    namespace: l[`${side}_namespace`],
    workload: l[`${side}_workload`],
    kind: l[`${side}_workload_kind`],
    pod: l[`${side}_pod`],
  });
}

function hubbleAdapter(
  id: 'hubble' | 'hubble-http',
  label: string,
  defaultMetric: string,
  figures?: EdgeAdapter['figures'],
): EdgeAdapter {
  return labelledAdapter({
    id,
    label,
    defaultMetric,
    needs: ['source_namespace', 'source_workload', 'destination_namespace', 'destination_workload'],
    by: BY,
    presence: 'increase',
    value: 'group',
    kind: 'workload',
    skipsSelf: true,
    ends: (l) => [end(l, 'source'), end(l, 'destination')],
    figures,
  });
}

export const hubble = hubbleAdapter('hubble', 'Cilium Hubble flows', 'hubble_flows_processed_total');

const HTTP_SUFFIX = '_requests_total';

export const hubbleHttp = hubbleAdapter(
  'hubble-http',
  'Cilium Hubble HTTP',
  'hubble_http_requests_total',
  (metric, windowMs) => {
    const prefix = metric.endsWith(HTTP_SUFFIX) ? metric.slice(0, -HTTP_SUFFIX.length) : metric;
    return requestFigures(BY, windowMs, {
      requests: metric,
      failed: metric,
      failedMatchers: [{ label: 'status', op: '=~', value: '5..' }],
      buckets: `${prefix}_request_duration_seconds_bucket`,
    });
  },
);
