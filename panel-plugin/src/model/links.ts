// Links out of the panel: only http(s) URLs are followed (a label could hold `javascript:`), and Explore links
// carry PromQL with label values escaped.
import { hostOfNodeId, kindOfNodeId, KubernetesMetric, Metric, quote } from '@timescope/common';

export function safeUrl(u: string | undefined): string | undefined {
  if (!u) return undefined;
  try {
    const url = new URL(u);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

export interface ExploreQuery {
  title: string;
  expr: string;
}

/** The PromQL for a node's CPU and memory, by kind (processes directly, hosts and containers by rolling up). */
export function nodeQueries(node: { id: string; kind: string }): ExploreQuery[] {
  const cpu = Metric.ProcessCpuSecondsTotal;
  const mem = Metric.ProcessResidentMemoryBytes;
  const kind = node.kind || kindOfNodeId(node.id);
  if (kind === 'process') {
    const sel = `{node=${quote(node.id)}}`;
    return [
      { title: 'CPU', expr: `rate(${cpu}${sel}[$__rate_interval])` },
      { title: 'Memory', expr: `${mem}${sel}` },
    ];
  }
  if (kind === 'host') {
    const sel = `{host=${quote(hostOfNodeId(node.id))}}`;
    return [
      { title: 'CPU', expr: `sum(rate(${cpu}${sel}[$__rate_interval]))` },
      { title: 'Memory', expr: `sum(${mem}${sel})` },
    ];
  }
  const procs = processesUnder(kind, quote(node.id));
  return [
    { title: 'CPU', expr: `sum(rate(${cpu}[$__rate_interval]) * on(node) group_left ${procs})` },
    { title: 'Memory', expr: `sum(${mem} * on(node) group_left ${procs})` },
  ];
}

/**
 * One series per process group (label `node`) running under a container, pod, workload or service: processes name
 * their container (`parent`, `container_id`), pods their containers (pod_container_info), pods their workload and
 * services their pods (docs/metrics.md, "Kubernetes").
 */
function processesUnder(kind: string, id: string): string {
  const inContainers = (containers: string) =>
    `group by (node) (${Metric.ProcessInfo} * on(container_id) group_left group by (container_id) (${containers}))`;
  const containersOf = (pods: string) =>
    `${KubernetesMetric.PodContainerInfo} * on(pod) group_left group by (pod) (${pods})`;
  if (kind === 'pod') return inContainers(`${KubernetesMetric.PodContainerInfo}{pod=${id}}`);
  if (kind === 'workload') {
    return inContainers(
      containersOf(`label_replace(${KubernetesMetric.PodInfo}{workload=${id}}, "pod", "$1", "node", "(.+)")`),
    );
  }
  if (kind === 'service') return inContainers(containersOf(`${KubernetesMetric.ServiceBackend}{service=${id}}`));
  return `group by (node) (${Metric.ProcessInfo}{parent=${id}})`;
}

export function exploreUrl(q: ExploreQuery, datasourceUid: string, from: number, to: number): string {
  const query: Record<string, unknown> = { refId: 'A', expr: q.expr };
  if (datasourceUid) query.datasource = { type: 'prometheus', uid: datasourceUid };
  const pane: Record<string, unknown> = { queries: [query], range: { from: String(from), to: String(to) } };
  if (datasourceUid) pane.datasource = datasourceUid;
  return `/explore?schemaVersion=1&panes=${encodeURIComponent(JSON.stringify({ a: pane }))}&orgId=1`;
}
