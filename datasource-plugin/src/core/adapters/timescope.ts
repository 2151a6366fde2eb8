// The Timescope exporter's own edges: source and target are already our node ids.
import { Label, Metric } from '@timescope/common';
import { seriesFamily } from '../queryBuilder';
import type { EdgeAdapter } from './types';

export const timescope: EdgeAdapter = {
  id: 'timescope',
  label: 'Timescope exporter',
  defaultMetric: Metric.EdgeConnections,
  needs: [Label.Source, Label.Target, Label.Kind],
  family(metric, view) {
    return seriesFamily([metric], [{ label: Label.Kind, op: '=', value: view }], {
      by: [Label.Source, Label.Target],
      presence: 'positive',
      value: 'sum',
    });
  },
  toEdge(l) {
    return l.source && l.target ? { source: l.source, target: l.target, kind: l.kind ?? '' } : undefined;
  },
};
