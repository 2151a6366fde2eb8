// What every adapter of a labelled edge metric shares: a family of the metric's series by some labels, and an edge
// per series from the node ids its labels name. Each adapter module says only what differs (labels, presence rule,
// id mapping, figures).
import { selector, type Matcher } from '@timescope/common';
import type { Family } from '../queryBuilder';
import type { EdgeSource } from '../query';
import type { EdgeAdapter } from './types';

export interface LabelledSource {
  id: EdgeSource;
  label: string;
  defaultMetric: string;
  needs: readonly string[];
  /** the labels one object (one edge, before ids merge) is identified by */
  by: readonly string[];
  presence: Family['presence'];
  value: Family['value'];
  /** matchers every series must pass (Istio leaves out unknown workloads) */
  matchers?: readonly Matcher[];
  /** a gauge named after the metric whose samples also make an edge present (Tempo's connection_info) */
  alsoPresent?(metric: string): string;
  /** what the edges connect, e.g. `workload` */
  kind: string;
  /** the node ids of a series' two ends (undefined where its labels do not name one) */
  ends(labels: Record<string, string>): readonly [string | undefined, string | undefined];
  /** a series from a node to itself names no edge (flows between pods of one workload) */
  skipsSelf?: true;
  figures?: EdgeAdapter['figures'];
  resolvesAddresses?: true;
}

export function labelledAdapter(s: LabelledSource): EdgeAdapter {
  const adapter: EdgeAdapter = {
    id: s.id,
    label: s.label,
    defaultMetric: s.defaultMetric,
    needs: s.needs,
    family(metric) {
      const also = s.alsoPresent ? { alsoPresent: s.alsoPresent(metric) } : {};
      return { by: s.by, selector: selector(metric, s.matchers), presence: s.presence, ...also, value: s.value };
    },
    toEdge(l) {
      const [source, target] = s.ends(l);
      if (!source || !target || (s.skipsSelf && source === target)) return undefined;
      return { source, target, kind: s.kind };
    },
  };
  if (s.figures) adapter.figures = s.figures;
  if (s.resolvesAddresses) adapter.resolvesAddresses = true;
  return adapter;
}
