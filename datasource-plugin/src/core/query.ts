// The query model: what the query editor writes and the datasource reads. Plain data, no Grafana runtime.

import { parseDurationMs, VIEWS, type LayoutAlgorithm, type View } from '@timescope/common';

export { VIEWS, type View };
export const DEFAULT_VIEW: View = 'service';

export const MODES = ['instant', 'range', 'diff'] as const;
/** instant: the graph at one instant; range: everything seen over the range; diff: start state against end state */
export type Mode = (typeof MODES)[number];

export const EDGE_SOURCES = [
  'timescope',
  'tempo',
  'beyla',
  'obi',
  'hubble',
  'hubble-http',
  'retina',
  'coroot',
  'istio',
  'caretta',
] as const;
export type EdgeSource = (typeof EDGE_SOURCES)[number];

export const GROUPINGS = ['none', 'namespace', 'host'] as const;
export type Grouping = (typeof GROUPINGS)[number];

/** 'off', or the layout whose positions the nodes frame carries */
export type NodePositions = 'off' | LayoutAlgorithm;

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
  /** overrides the edge source's metric name (e.g. a recording rule's, or a prefixed servicegraph metric) */
  edgeMetric?: string;
  /** positions (fixedX / fixedY) for Grafana's Node Graph from our panel's layout, so nodes stay still as time moves */
  nodePositions?: NodePositions;
  /** several edge sources in one graph, merged on node ids (when set, `edgeSource` is ignored) */
  edgeSources?: EdgeSource[];
  /** metric names per source (what the editor writes, one or several sources); before `edgeMetric` */
  edgeMetrics?: Partial<Record<EdgeSource, string>>;
  /** process view: `hide` the processes without any connection in the range (new queries), or `show` them (a query
   * stored without the option) */
  idleProcesses?: 'hide' | 'show';
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
  /**
   * the store behind the URL (store.ts): `auto` (default) detects it from its build info; naming it overrides the
   * detection (a proxy in front of the store, a store that answers like another)
   */
  store?: 'auto' | 'prometheus-2' | 'prometheus-3' | 'victoriametrics';
  /** how the instance authenticates to Prometheus: through Grafana's basic auth or a bearer header */
  authMethod?: 'none' | 'basic' | 'bearer';
  httpHeaderName1?: string;
}

/** secureJsonData of the datasource instance (write-only from the browser's point of view). */
export interface TopologySecureOptions {
  basicAuthPassword?: string;
  httpHeaderValue1?: string;
}

/** The scrape interval setting (`15s`, `1m30s`, `500ms`) in ms; undefined if unset, malformed or not positive. */
export function parseScrapeIntervalMs(s: string | undefined): number | undefined {
  const ms = s ? parseDurationMs(s) : undefined;
  return ms !== undefined && ms > 0 ? ms : undefined;
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
