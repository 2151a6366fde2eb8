// Istio's standard metrics: the request counter by source and destination workload (Istio does not say the
// controller kind), with L7 figures from it (5xx response codes fail) and from the latency histogram in
// milliseconds. Both proxies of a call report it (`reporter="source"` and `"destination"`): the figures take the
// server's report where there is one, else the client's, so a request is never counted twice.
import { nodeId } from '@timescope/common';
import { requestFigures } from './figureQueries';
import { labelledAdapter } from './labelled';

const BY = ['source_workload_namespace', 'source_workload', 'destination_workload_namespace', 'destination_workload'];
const SUFFIX = '_requests_total';

export const istio = labelledAdapter({
  id: 'istio',
  label: 'Istio',
  defaultMetric: 'istio_requests_total',
  needs: BY,
  by: BY,
  matchers: [
    { label: 'source_workload', op: '!~', value: '|unknown' },
    { label: 'destination_workload', op: '!~', value: '|unknown' },
  ],
  presence: 'increase',
  value: 'sum',
  kind: 'workload',
  ends: (l) => [
    nodeId.workloadWithoutKind(l.source_workload_namespace, l.source_workload),
    nodeId.workloadWithoutKind(l.destination_workload_namespace, l.destination_workload),
  ],
  figures(metric, windowMs) {
    const prefix = metric.endsWith(SUFFIX) ? metric.slice(0, -SUFFIX.length) : metric;
    return requestFigures(BY, windowMs, {
      requests: metric,
      failed: metric,
      failedMatchers: [{ label: 'response_code', op: '=~', value: '5..' }],
      buckets: `${prefix}_request_duration_milliseconds_bucket`,
      prefer: { label: 'reporter', values: ['destination', 'source'] },
      bucketUnitSec: 0.001,
    });
  },
});
