// Template variable queries (metricFindQuery): namespaces(), workloads([namespace]), hosts(), kinds(),
// workload_kinds(). One instant query each, over the dashboard's range.
import { KubernetesMetric, Metric, quote, durationMs } from '@timescope/common';
import { exactValues } from './adapters';
import type { PromClient } from './promClient';
import { VIEWS } from './query';

export interface VariableQuery {
  fn: 'namespaces' | 'workloads' | 'hosts' | 'kinds' | 'workload_kinds';
  arg?: string;
}

const FNS: readonly VariableQuery['fn'][] = ['namespaces', 'workloads', 'hosts', 'kinds', 'workload_kinds'];

/** Parses `fn()` or `fn(arg)`; throws with the accepted forms otherwise. */
export function parseVariableQuery(q: string): VariableQuery {
  const m = /^\s*([a-z_]+)\s*\(\s*([\s\S]*?)\s*\)\s*$/.exec(q);
  const fn = m?.[1] as VariableQuery['fn'] | undefined;
  if (!m || !fn || !FNS.includes(fn)) {
    throw new Error(
      `Unknown variable query ${JSON.stringify(q)}; use one of ${FNS.map((f) => `${f}()`).join(', ')} (workloads takes an optional namespace)`,
    );
  }
  const arg = m[2].replace(/^["']|["']$/g, '');
  return arg ? { fn, arg } : { fn };
}

export function variablePromQL(v: VariableQuery, windowMs: number): { query: string; label: string } {
  const w = durationMs(windowMs);
  switch (v.fn) {
    case 'namespaces':
      return {
        query: `group by (namespace) (last_over_time({__name__=~"${KubernetesMetric.NamespaceInfo}|${KubernetesMetric.PodInfo}|${KubernetesMetric.WorkloadInfo}|${KubernetesMetric.ServiceInfo}", namespace!=""}[${w}]))`,
        label: 'namespace',
      };
    case 'workloads': {
      const ns = v.arg ? `, namespace=~${quote(exactValues(v.arg))}` : '';
      return {
        query: `group by (name) (last_over_time(${KubernetesMetric.WorkloadInfo}{name!=""${ns}}[${w}]))`,
        label: 'name',
      };
    }
    case 'hosts':
      return { query: `group by (name) (last_over_time(${Metric.HostInfo}[${w}]))`, label: 'name' };
    case 'kinds':
      return {
        query: `group by (kind) (last_over_time({__name__=~"timescope_.+_info", kind!=""}[${w}]))`,
        label: 'kind',
      };
    case 'workload_kinds':
      return {
        query: `group by (workload_kind) (last_over_time(${KubernetesMetric.WorkloadInfo}[${w}]))`,
        label: 'workload_kind',
      };
  }
}

/** The sorted values of a variable query. `kinds()` lists only kinds the query editor offers as views. */
export async function findValues(
  client: PromClient,
  q: string,
  range: { fromMs: number; toMs: number },
  signal?: AbortSignal,
): Promise<string[]> {
  const v = parseVariableQuery(q);
  const { query, label } = variablePromQL(v, Math.max(60_000, range.toMs - range.fromMs));
  const rows = await client.instant(query, range.toMs / 1000, signal);
  let values = [...new Set(rows.map((r) => r.metric[label] ?? '').filter(Boolean))];
  if (v.fn === 'kinds') values = values.filter((k) => (VIEWS as readonly string[]).includes(k));
  return values.sort();
}
