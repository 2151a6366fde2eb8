// Each edge source's adapter: the series it reads (escaped selector, identity labels, presence rule) and the edge
// one series stands for.
import { lookbackMs, namespaceOfNodeId as namespaceOfId } from '@timescope/common';
import { ADAPTERS, exactValues } from '.';
import { presentExpr } from '../queryBuilder';

const timing = { lookbackMs: lookbackMs(15_000) };

describe('Timescope exporter edges', () => {
  const a = ADAPTERS.timescope;

  it('reads the edges of the view, positive connection counts only', () => {
    const f = a.family(a.defaultMetric, 'workload');
    expect(f.selector).toBe('timescope_edge_connections{kind="workload"}');
    expect(f.by).toEqual(['source', 'target']);
    expect(presentExpr(f, timing)).toBe(
      'group by (source, target) ((last_over_time(timescope_edge_connections{kind="workload"}[29999ms]) > 0))',
    );
    expect(a.family('my:recorded_edges', 'service').selector).toBe('my:recorded_edges{kind="service"}');
  });

  it('maps source and target as they are, and skips series without them', () => {
    expect(a.toEdge({ source: 'service:a/x', target: 'service:a/y', kind: 'service' })).toEqual({
      source: 'service:a/x',
      target: 'service:a/y',
      kind: 'service',
    });
    expect(a.toEdge({ source: 'service:a/x' })).toBeUndefined();
  });
});

describe("Tempo's service graph", () => {
  const a = ADAPTERS.tempo;

  it('reads traces_service_graph_request_total by client and server; present while the counter increases', () => {
    const f = a.family(a.defaultMetric, 'service');
    expect(f.selector).toBe('traces_service_graph_request_total');
    expect(f.by).toEqual(['client', 'server', 'client_service_namespace', 'server_service_namespace']);
    expect(presentExpr(f, timing)).toBe(
      'group by (client, server, client_service_namespace, server_service_namespace) (' +
        '((increase(traces_service_graph_request_total[59998ms]) > 0) or ' +
        '(last_over_time(traces_service_graph_connection_info[29999ms]) > 0)))',
    );
  });

  it('asks its L7 figures as three aggregations: request rate, failed rate (only where positive), p95', () => {
    const by = 'client, server, client_service_namespace, server_service_namespace';
    expect(a.figures?.('traces_service_graph_request_total', 59_999)).toEqual({
      rate: `sum by (${by}) (rate(traces_service_graph_request_total[59999ms]))`,
      failed: `sum by (${by}) (rate(traces_service_graph_request_failed_total[59999ms])) > 0`,
      p95: `histogram_quantile(0.95, sum by (${by}, le) (rate(traces_service_graph_request_server_seconds_bucket[59999ms])))`,
      // the rate is one counter's, summed by the family's labels: its raw samples give it where they are asked
      rateOf: { selector: 'traces_service_graph_request_total', by: by.split(', ') },
      // asked first, the sum after it where one edge's histograms meet at a step (figureCheck.ts)
      p95Unsummed: {
        query: 'histogram_quantile(0.95, rate(traces_service_graph_request_server_seconds_bucket[59999ms]))',
        by: by.split(', '),
      },
      // summed by the datasource (sumBy.ts)
      failedUnsummed: {
        query: 'rate(traces_service_graph_request_failed_total[59999ms]) > 0',
        by: by.split(', '),
      },
    });
  });

  it('makes service nodes of client and server', () => {
    expect(a.toEdge({ client: 'frontend', server: 'cart"s', connection_type: '' })).toEqual({
      source: 'service:frontend',
      target: 'service:cart"s',
      kind: 'service',
    });
    expect(a.toEdge({ client: '', server: 'carts' })).toBeUndefined();
  });
});

describe('Istio', () => {
  const a = ADAPTERS.istio;

  it('reads istio_requests_total by source and destination workload, leaving out unknown ends', () => {
    const f = a.family(a.defaultMetric, 'workload');
    expect(f.selector).toBe('istio_requests_total{source_workload!~"|unknown", destination_workload!~"|unknown"}');
    expect(f.by).toEqual([
      'source_workload_namespace',
      'source_workload',
      'destination_workload_namespace',
      'destination_workload',
    ]);
    expect(f.presence).toBe('increase');
  });

  it('makes workload nodes namespaced by the workload namespace labels', () => {
    expect(
      a.toEdge({
        source_workload_namespace: 'shop',
        source_workload: 'frontend',
        destination_workload_namespace: 'pay',
        destination_workload: 'payment-v2',
        response_code: '200',
      }),
    ).toEqual({ source: 'workload:shop/frontend', target: 'workload:pay/payment-v2', kind: 'workload' });
  });
});

describe('Caretta', () => {
  const a = ADAPTERS.caretta;
  const link = (client: [string, string, string], server: [string, string, string]): Record<string, string> => ({
    client_kind: client[0],
    client_namespace: client[1],
    client_name: client[2],
    server_kind: server[0],
    server_namespace: server[1],
    server_name: server[2],
    role: '1',
    server_port: '5432',
  });

  it('reads caretta_links_observed by both ends; present while it has samples', () => {
    const f = a.family(a.defaultMetric, 'workload');
    expect(f.selector).toBe('caretta_links_observed');
    expect(f.by).toEqual([
      'client_kind',
      'client_namespace',
      'client_name',
      'server_kind',
      'server_namespace',
      'server_name',
    ]);
    expect(f.presence).toBe('sample');
  });

  it('maps workload kinds, pods, nodes, services and anything else (external) to our node ids', () => {
    expect(a.toEdge(link(['Deployment', 'shop', 'carts'], ['StatefulSet', 'db', 'postgres']))).toEqual({
      source: 'workload:shop/Deployment/carts',
      target: 'workload:db/StatefulSet/postgres',
      kind: 'workload',
    });
    expect(a.toEdge(link(['Pod', 'shop', 'carts-1'], ['Service', 'db', 'pg']))).toMatchObject({
      source: 'pod:shop/carts-1',
      target: 'service:db/pg',
    });
    expect(a.toEdge(link(['Node', '', 'node-1'], ['external', '', '203.0.113.7']))).toMatchObject({
      source: 'host:node-1',
      target: 'external:203.0.113.7',
    });
    expect(a.toEdge(link(['Deployment', 'shop', ''], ['Service', 'db', 'pg']))).toBeUndefined();
  });
});

describe('Beyla', () => {
  const a = ADAPTERS.beyla;
  const flow = (cluster: string): Record<string, string> => ({
    k8s_src_namespace: 'shop',
    k8s_src_owner_name: 'frontend',
    k8s_src_owner_type: 'Deployment',
    k8s_dst_namespace: 'shop',
    k8s_dst_owner_name: 'carts',
    k8s_dst_owner_type: 'deployment',
    k8s_cluster_name: cluster,
  });

  it('keeps the cluster in the identity of a flow', () => {
    expect(a.family(a.defaultMetric, 'workload').by).toContain('k8s_cluster_name');
  });

  it('writes cluster-less ids while the series hold one cluster, and qualifies them by cluster once they hold several', () => {
    const one = a.forObjects?.([flow('c1'), flow('c1'), flow('')]) ?? a;
    expect(one.toEdge(flow('c1'))).toEqual({
      source: 'workload:shop/Deployment/frontend',
      target: 'workload:shop/Deployment/carts',
      kind: 'workload',
    });
    const several = a.forObjects?.([flow('c1'), flow('c2')]) ?? a;
    expect(several.toEdge(flow('c2'))).toMatchObject({
      source: 'workload:shop/Deployment/frontend@c2',
      target: 'workload:shop/Deployment/carts@c2',
    });
    expect(several.toEdge(flow(''))).toMatchObject({ source: 'workload:shop/Deployment/frontend' });
  });
});

describe('helpers', () => {
  it('turns a|b filter values into a literal alternative', () => {
    expect(exactValues('shop')).toBe('shop');
    expect(exactValues('shop|pay.v2')).toBe('(shop|pay\\.v2)');
    expect(exactValues('we"ird{1}')).toBe('we"ird\\{1\\}');
  });

  it('finds the namespace of pod, workload, service and namespace ids only', () => {
    expect(namespaceOfId('pod:shop/carts-1')).toBe('shop');
    expect(namespaceOfId('workload:shop/Deployment/carts')).toBe('shop');
    expect(namespaceOfId('service:shop/carts')).toBe('shop');
    expect(namespaceOfId('namespace:shop')).toBe('shop');
    expect(namespaceOfId('service:frontend')).toBe('');
    expect(namespaceOfId('host:node-1')).toBe('');
  });
});
