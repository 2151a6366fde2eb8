// Says why an edge source drew nothing: its metric has no series in the range, or its series lack the labels the
// adapter names ends by (a Hubble without labelsContext, a Beyla without Kubernetes decoration).
import type { EdgeAdapter } from './types';

export interface SourceRows {
  adapter: EdgeAdapter;
  metric: string;
  /** the `by` labels of each object of its family */
  objects: readonly Record<string, string>[];
  /** how many of them named an edge */
  edges: number;
}

/** A warning when the source gave no edge, naming the labels its series lack; undefined when it gave some. */
export function needsWarning(r: SourceRows): string | undefined {
  if (r.edges > 0) return undefined;
  const needs = r.adapter.needs.join(', ');
  if (r.objects.length === 0) {
    return `${r.adapter.label}: no series of ${r.metric} in this time range (it needs the labels ${needs}).`;
  }
  // a label Prometheus dropped (absent) is as missing as an empty one
  const missing = r.adapter.needs.filter((l) => r.objects.every((o) => !o[l]));
  const which = missing.length > 0 ? missing.join(', ') : needs;
  return `${r.adapter.label}: ${r.objects.length} series of ${r.metric} name no edge: they lack the labels ${which} (it needs ${needs}).`;
}
