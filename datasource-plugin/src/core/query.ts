// The query model: what the query editor writes and the datasource reads. Plain data, no Grafana runtime.

import { VIEWS, type View } from '@timescope/common';

export { VIEWS, type View };
export const DEFAULT_VIEW: View = 'service';

export const MODES = ['instant', 'range', 'diff'] as const;
/** instant: the graph at one instant; range: everything seen over the range; diff: start state against end state */
export type Mode = (typeof MODES)[number];

export const EDGE_SOURCES = ['timescope', 'tempo', 'istio', 'caretta'] as const;
export type EdgeSource = (typeof EDGE_SOURCES)[number];

export const GROUPINGS = ['none', 'namespace', 'host'] as const;
export type Grouping = (typeof GROUPINGS)[number];

export interface Filters {
  /** exact namespace(s); several values (a multi-value variable) are separated by `|` after interpolation */
  namespace?: string;
  /** exact host name(s), like namespace */
  host?: string;
  /** workload kind(s) (Deployment, StatefulSet, ...): workloads of another kind and their pods are left out */
  kind?: string;
  /** a regex on the node's display name */
  name?: string;
}

export interface TopologyQueryModel extends Filters {
  queryType?: 'topology' | 'deploys';
  /** a view, or a variable (`$view`) that interpolates to one: the panel's view switch sets that variable */
  view?: View | string;
  mode?: Mode;
  /** instant mode only: the instant (ms since the epoch, or a Grafana time like `now-1h`); default: range end */
  time?: string;
  groupBy?: Grouping;
  edgeSource?: EdgeSource;
  /** overrides the edge source's metric name (e.g. a recording rule's) */
  edgeMetric?: string;
  /** deploys (annotations): workload name(s), like namespace */
  workload?: string;
}

export const DEFAULT_QUERY: Required<
  Pick<TopologyQueryModel, 'queryType' | 'view' | 'mode' | 'groupBy' | 'edgeSource'>
> = {
  queryType: 'topology',
  view: DEFAULT_VIEW,
  mode: 'instant',
  groupBy: 'none',
  edgeSource: 'timescope',
};

/** jsonData of the datasource instance. */
export interface TopologyOptions {
  /** the Prometheus scrape interval of the exporters, e.g. `15s` (drives the presence lookback) */
  scrapeInterval?: string;
  /** how the instance authenticates to Prometheus: through Grafana's basic auth or a bearer header */
  authMethod?: 'none' | 'basic' | 'bearer';
  httpHeaderName1?: string;
}

/** secureJsonData of the datasource instance (write-only from the browser's point of view). */
export interface TopologySecureOptions {
  basicAuthPassword?: string;
  httpHeaderValue1?: string;
}

/** Parses a Prometheus-style duration (`15s`, `1m30s`, `500ms`, `2h`) into ms; undefined if malformed. */
export function parseDurationMs(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/gy;
  const unit: Record<string, number> = { ms: 1, s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7, w: 6.048e8, y: 3.1536e10 };
  let total = 0;
  let matched = 0;
  for (let m = re.exec(s.trim()); m; m = re.exec(s.trim())) {
    total += Number(m[1]) * unit[m[2]];
    matched += m[0].length;
  }
  return matched === s.trim().length && total > 0 ? total : undefined;
}

export const DEFAULT_SCRAPE_INTERVAL_MS = 15_000;

/**
 * The view a query asks for once its variables are interpolated. Dashboards' variables may carry the plural the
 * panel's switch shows (`services`), so that is accepted too; anything else is an error the user sees, never a
 * silent fallback to another view.
 */
export function parseView(value: string | undefined): View | { error: string } {
  if (value === undefined || value.trim() === '') return DEFAULT_VIEW;
  const v = value.trim().toLowerCase();
  const known = (VIEWS as readonly string[]).find((x) => x === v || `${x}s` === v);
  if (known) return known as View;
  return { error: `Unknown view ${JSON.stringify(value)}: use one of ${VIEWS.join(', ')}` };
}
