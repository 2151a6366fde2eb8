// What an edge source's adapter says: the series it reads, the labels it needs, the edge one series stands for,
// and, for sources with L7 figures, the PromQL of those figures over a window.
import type { Family } from '../queryBuilder';
import type { EdgeSource, View } from '../query';

export interface EdgeEnds {
  source: string;
  target: string;
  /** what the edge connects, e.g. `service` */
  kind: string;
}

/** The L7 figures an edge may carry. */
export const FIGURES = ['rate', 'errorRatio', 'p95'] as const;
export type Figure = (typeof FIGURES)[number];

/**
 * What a source's figures are asked as: one range query each, by the family's `by` labels, over a window ending at
 * each of their steps: the request rate (requests/s), the failed requests' rate (requests/s; the error ratio is
 * failed / rate, worked out by the datasource) and the p95 latency (seconds).
 */
export const FIGURE_PARTS = ['rate', 'failed', 'p95'] as const;
export type FigurePart = (typeof FIGURE_PARTS)[number];
export interface FigureQueries extends Readonly<Record<FigurePart, string>> {
  /**
   * The rate is `sum by (<by>) (rate(<selector>[window]))`: where the datasource asks for that selector's raw samples
   * anyway (the family's presence on a fine grid), it works the rate out from them (adapters/sampleRates.ts) instead
   * of asking the rate query. Absent: the rate is always asked.
   */
  rateOf?: { selector: string; by: readonly string[] };
  /**
   * The p95 without its `sum by (<by>, le)` (the sum costs Prometheus about a third of the query, with a label set
   * built per bucket per step): the same rows wherever no two of an edge's histograms (bucket series differing in
   * labels other than `by` and `le`) have rates at one step. It is asked first; where they do, `p95` is asked after
   * it (figureCheck.ts). Absent: `p95` is asked.
   */
  p95Unsummed?: { query: string; by: readonly string[] };
  /**
   * The failed rate without its `sum by (<by>)`, summed by the datasource (adapters/sumBy.ts): a counter's rates are
   * never negative, so keeping the positive ones before or after the sum keeps the same sums. Absent: `failed`.
   */
  failedUnsummed?: { query: string; by: readonly string[] };
}

export interface EdgeAdapter {
  id: EdgeSource;
  label: string;
  defaultMetric: string;
  /** the labels without which a series names no edge (the query editor lists them; their absence is reported) */
  needs: readonly string[];
  /**
   * The family of edge series for a view (the view matters only to the Timescope source). Filters on nodes apply
   * to the edges' ends after the query (an edge is kept when both ends pass), since PromQL cannot `or` matchers.
   */
  family(metric: string, view: View): Family;
  /** the edge one series of that family stands for (undefined: skip it) */
  toEdge(labels: Record<string, string>): EdgeEnds | undefined;
  /** the PromQL of its L7 figures over a window (`FigureQueries`); absent: the source has none */
  figures?(metric: string, windowMs: number): FigureQueries;
  /** its targets are `address:<ip>` ends, resolved to the pods holding the IP at each instant */
  resolvesAddresses?: true;
  /**
   * The adapter for the objects one query found, where the id mapping depends on them all (Beyla qualifies ids by
   * cluster once the series hold several clusters); absent: this adapter for any.
   */
  forObjects?(objects: readonly Record<string, string>[]): EdgeAdapter;
}

/** Controller kinds as Kubernetes spells them, found case-insensitively (OBI writes `deployment`). */
const KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod', 'Node', 'Service'];
const KIND_BY_LOWER = new Map(KINDS.map((k) => [k.toLowerCase(), k]));

/** A controller kind in Kubernetes' spelling ('' for none; an unknown kind kept as it is). */
export function canonicalKind(kind: string | undefined): string {
  if (!kind) return '';
  return KIND_BY_LOWER.get(kind.toLowerCase()) ?? kind;
}

/** Workload controller kinds (what `workload:<ns>/<kind>/<name>` may hold). */
export const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob']);
