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

/** The L7 figures an edge may carry, as rows of one range query labelled `timescope_figure=<name>`. */
export const FIGURES = ['rate', 'errorRatio', 'p95'] as const;
export type Figure = (typeof FIGURES)[number];
export const FIGURE_LABEL = 'timescope_figure';

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
  /**
   * L7 figures over a window ending at each step, by the family's `by` labels, one expression whose rows carry
   * `timescope_figure` (rate in requests/s, errorRatio in 0..1, p95 in seconds); absent: the source has none.
   */
  figures?(metric: string, windowMs: number): string;
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
