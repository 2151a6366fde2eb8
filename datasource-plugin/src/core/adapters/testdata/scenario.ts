// One small history of service-to-service calls, written in each edge source's schema (test data for
// adapters.prometheus.test.ts): four edges with known lifetimes, so the graph at any instant, over a range and as a
// diff is known exactly; constant request rates, so the L7 figures are known too.
import { nodeId } from '@timescope/common';
import { counter, gauge, type GrowingSeries } from '../../../testutil/edgeHistory';

export const END = 1_764_000_000;
export const M = 60;
export const S = END - 120 * M;

export interface CallEdge {
  name: string;
  client: string;
  server: string;
  /** alive from, to (s) */
  life: readonly [number, number];
  /** requests per second, and the failed part */
  rps: number;
  failed: number;
}

export const NS = 'shop';

export const CALLS: readonly CallEdge[] = [
  { name: 'e1', client: 'frontend', server: 'carts', life: [S, END + 1], rps: 5, failed: 0.5 },
  { name: 'e2', client: 'carts', server: 'db', life: [S, S + 40 * M], rps: 2, failed: 0 },
  { name: 'e3', client: 'frontend', server: 'payment', life: [S + 70 * M, END + 1], rps: 1, failed: 0.25 },
  { name: 'e4', client: 'orders', server: 'payment', life: [S + 20 * M, S + 30 * M], rps: 3, failed: 0 },
];

/** The calls alive at an instant (well inside or outside every lifetime in the tests). */
export const aliveAt = (t: number): CallEdge[] => CALLS.filter((c) => c.life[0] + M <= t && t < c.life[1]);
/** The calls alive at some instant of [from, to]. */
export const aliveDuring = (from: number, to: number): CallEdge[] =>
  CALLS.filter((c) => c.life[0] + M <= to && from < c.life[1]);

/** Latency buckets: share of requests at or under each bound (so p95 is known by interpolation). */
export const BUCKETS: readonly [string, number][] = [
  ['0.1', 0.5],
  ['0.5', 0.9],
  ['1', 1],
  ['+Inf', 1],
];

type Labeller = (c: CallEdge) => Record<string, string>;

function requestSeries(prefix: string, labels: Labeller, extra: { failed?: string; buckets?: string }): GrowingSeries[] {
  return CALLS.flatMap((c) => [
    counter(`${prefix}_request_total`, labels(c), c.life, c.rps),
    ...(c.failed > 0 && extra.failed ? [counter(extra.failed, labels(c), c.life, c.rps * c.failed)] : []),
    ...(extra.buckets
      ? BUCKETS.map(([le, share]) => counter(extra.buckets as string, { ...labels(c), le }, c.life, c.rps * share))
      : []),
  ]);
}

/** Tempo's metrics generator (no namespaces) and, under a prefix, the OTel connector with service namespaces. */
export function serviceGraphSeries(): GrowingSeries[] {
  const tempo: Labeller = (c) => ({ client: c.client, server: c.server, connection_type: '' });
  const otel: Labeller = (c) => ({
    client: c.client,
    server: c.server,
    client_service_namespace: NS,
    server_service_namespace: NS,
    connection_type: 'virtual_node',
  });
  return [
    ...requestSeries('traces_service_graph', tempo, {
      failed: 'traces_service_graph_request_failed_total',
      buckets: 'traces_service_graph_request_server_seconds_bucket',
    }),
    ...requestSeries('otel_traces_service_graph', otel, {
      failed: 'otel_traces_service_graph_request_failed_total',
      buckets: 'otel_traces_service_graph_request_server_seconds_bucket',
    }),
    // sampled away: no request counted from S + 30m, but Tempo's connection_info says the edge still exists
    counter('traces_service_graph_request_total', { client: 'cron', server: 'carts' }, [S, S + 30 * M], 0.1),
    gauge('traces_service_graph_connection_info', { client: 'cron', server: 'carts' }, [S, END + 1]),
  ];
}

const beylaLabels =
  (kind: string, cluster = 'c1'): Labeller =>
  (c) => ({
    k8s_src_owner_name: c.client,
    k8s_src_namespace: NS,
    k8s_src_owner_type: kind,
    k8s_src_name: `${c.client}-5d8f-abcde`,
    k8s_dst_owner_name: c.server,
    k8s_dst_namespace: NS,
    k8s_dst_owner_type: kind,
    k8s_cluster_name: cluster,
    dst_port: '8080',
  });

/** Beyla (owner types capitalised) and OBI (lower case), bytes growing with the requests. */
export function flowSeries(): GrowingSeries[] {
  return CALLS.flatMap((c) => [
    counter('beyla_network_flow_bytes_total', beylaLabels('Deployment')(c), c.life, 100 * c.rps),
    counter('obi_network_flow_bytes_total', beylaLabels('deployment')(c), c.life, 100 * c.rps),
  ]);
}

/** The second cluster's call from frontend to carts, from S + 50m. */
export const SECOND_CLUSTER_CALL: CallEdge = { ...CALLS[0], name: 'c2e1', life: [S + 50 * M, END + 1] };

/** Beyla in two clusters writing to one store (same namespace and workload names): every call in c1, e1 in c2. */
export function twoClusterFlowSeries(): GrowingSeries[] {
  const metric = 'two_cluster_beyla_network_flow_bytes_total';
  return [
    ...CALLS.map((c) => counter(metric, beylaLabels('Deployment', 'c1')(c), c.life, 100 * c.rps)),
    counter(metric, beylaLabels('Deployment', 'c2')(SECOND_CLUSTER_CALL), SECOND_CLUSTER_CALL.life, 100),
  ];
}

/** Hubble with labelsContext: two pods of each client (one edge per workload pair), and HTTP for L7. */
export function hubbleSeries(): GrowingSeries[] {
  const ctx = (c: CallEdge, pod: string): Record<string, string> => ({
    source_namespace: NS,
    source_workload: c.client,
    source_pod: `${c.client}-${pod}`,
    destination_namespace: NS,
    destination_workload: c.server,
    destination_pod: `${c.server}-0`,
  });
  return CALLS.flatMap((c) => [
    counter('hubble_flows_processed_total', { ...ctx(c, 'a'), verdict: 'FORWARDED', type: 'Trace' }, c.life, 4),
    counter('hubble_flows_processed_total', { ...ctx(c, 'b'), verdict: 'FORWARDED', type: 'Trace' }, c.life, 4),
    counter('hubble_http_requests_total', { ...ctx(c, 'a'), method: 'GET', status: '200' }, c.life, c.rps * (1 - c.failed)),
    ...(c.failed > 0
      ? [counter('hubble_http_requests_total', { ...ctx(c, 'a'), method: 'GET', status: '503' }, c.life, c.rps * c.failed)]
      : []),
    ...BUCKETS.map(([le, share]) =>
      counter('hubble_http_request_duration_seconds_bucket', { ...ctx(c, 'a'), method: 'GET', le }, c.life, c.rps * share),
    ),
  ]);
}

/** Istio's calls outside the mesh on the server side: only the client's proxy reports them. */
export const clientReportedOnly = (c: CallEdge): boolean => c.name === 'e4';

/**
 * Istio's standard metrics, reported by both proxies of a call (the same counts twice, `reporter="source"` and
 * `"destination"`) but for calls the client alone reports; latency buckets in milliseconds; and requests from
 * outside the mesh (`unknown`), which name no edge.
 */
export function istioSeries(): GrowingSeries[] {
  const labels = (c: CallEdge, reporter: string, code: string): Record<string, string> => ({
    reporter,
    source_workload: c.client,
    source_workload_namespace: NS,
    source_canonical_service: c.client,
    destination_workload: c.server,
    destination_workload_namespace: NS,
    destination_service: `${c.server}.${NS}.svc.cluster.local`,
    request_protocol: 'http',
    response_code: code,
  });
  const reporters = (c: CallEdge): string[] => (clientReportedOnly(c) ? ['source'] : ['source', 'destination']);
  return CALLS.flatMap((c) =>
    reporters(c).flatMap((r) => [
      counter('istio_requests_total', labels(c, r, '200'), c.life, c.rps * (1 - c.failed)),
      ...(c.failed > 0 ? [counter('istio_requests_total', labels(c, r, '503'), c.life, c.rps * c.failed)] : []),
      ...BUCKETS.map(([le, share]) =>
        counter(
          'istio_request_duration_milliseconds_bucket',
          { ...labels(c, r, '200'), le: le === '+Inf' ? le : String(Number(le) * 1000) },
          c.life,
          c.rps * share,
        ),
      ),
    ]),
  ).concat([
    counter('istio_requests_total', { ...labels(CALLS[0], 'destination', '200'), source_workload: 'unknown' }, [S, END + 1], 1),
  ]);
}

/** Caretta's links gauge (value: the link's throughput), both ends Deployments. */
export function carettaSeries(): GrowingSeries[] {
  return CALLS.map((c) =>
    gauge(
      'caretta_links_observed',
      {
        client_kind: 'Deployment',
        client_namespace: NS,
        client_name: c.client,
        server_kind: 'Deployment',
        server_namespace: NS,
        server_name: c.server,
        server_port: '8080',
        role: '1',
      },
      c.life,
      1000,
    ),
  );
}

/** Retina's advanced forward counter with its context labels. */
export function retinaSeries(): GrowingSeries[] {
  const side = (p: 'source' | 'destination', name: string, ip: string): Record<string, string> => ({
    [`${p}_ip`]: ip,
    [`${p}_namespace`]: NS,
    [`${p}_podname`]: `${name}-0`,
    [`${p}_workload_kind`]: 'Deployment',
    [`${p}_workload_name`]: name,
  });
  return CALLS.map((c, i) =>
    counter(
      'networkobservability_adv_forward_bytes',
      { ...side('source', c.client, `10.1.0.${i}`), ...side('destination', c.server, `10.2.0.${i}`), direction: 'egress' },
      c.life,
      100,
    ),
  );
}

/** Series of a Hubble without labelsContext: they name no edge. */
export function bareHubbleSeries(): GrowingSeries[] {
  return [counter('bare_hubble_flows_processed_total', { verdict: 'FORWARDED', type: 'Trace' }, [S, END + 1], 1)];
}

/** A pod IP reused: db-1 holds 10.0.0.9 until S + 40m, db-2 from S + 50m. */
export const POD_IPS = [
  { pod: nodeId.pod(NS, 'db-1'), ip: '10.0.0.9', life: [S, S + 40 * M] as const },
  { pod: nodeId.pod(NS, 'db-2'), ip: '10.0.0.9', life: [S + 50 * M, END + 1] as const },
];

/** Coroot's connections to that IP (through a service IP), before and after the reuse, and to an outside address. */
export function corootSeries(): GrowingSeries[] {
  const conn = (pod: string, destination: string, actual: string, life: readonly [number, number]): GrowingSeries =>
    gauge(
      'container_net_tcp_active_connections',
      { container_id: `/k8s/${NS}/${pod}/app`, destination, actual_destination: actual },
      life,
      3,
    );
  return [
    ...POD_IPS.map((p) =>
      gauge('timescope_pod_info', { node: p.pod, namespace: NS, name: p.pod.split('/')[1], pod_ip: p.ip }, p.life),
    ),
    conn('frontend-1', '10.96.0.10:5432', '10.0.0.9:5432', [S, S + 35 * M]),
    conn('carts-1', '10.96.0.10:5432', '10.0.0.9:5432', [S + 55 * M, END + 1]),
    conn('frontend-1', '203.0.113.7:443', '', [S, END + 1]),
  ];
}

/** Our exporter's service edge between the services the OTel connector names with their namespace. */
export function timescopeSeries(): GrowingSeries[] {
  return [
    gauge(
      'timescope_edge_connections',
      { kind: 'service', source: nodeId.service(NS, 'frontend'), target: nodeId.service(NS, 'carts') },
      [S, END + 1],
      4,
    ),
  ];
}
