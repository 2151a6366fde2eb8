// Microsoft Retina's advanced forward counter, by source_* / destination_* context labels.
import { selector } from '@timescope/common';
import { kubeEndId } from './ends';
import type { EdgeAdapter } from './types';

const SIDES = ['source', 'destination'] as const;
const BY = SIDES.flatMap((s) => [
  `${s}_namespace`,
  `${s}_workload_name`,
  `${s}_workload_kind`,
  `${s}_podname`,
  `${s}_ip`,
]);

function end(l: Record<string, string>, side: (typeof SIDES)[number]): string | undefined {
  return kubeEndId({
    namespace: l[`${side}_namespace`],
    workload: l[`${side}_workload_name`],
    kind: l[`${side}_workload_kind`],
    pod: l[`${side}_podname`],
    address: l[`${side}_ip`],
  });
}

export const retina: EdgeAdapter = {
  id: 'retina',
  label: 'Retina',
  defaultMetric: 'networkobservability_adv_forward_bytes',
  needs: ['source_ip', 'destination_ip'],
  family(metric) {
    return { by: BY, selector: selector(metric), presence: 'increase', value: 'group' };
  },
  toEdge(l) {
    const source = end(l, 'source');
    const target = end(l, 'destination');
    return source && target && source !== target ? { source, target, kind: 'workload' } : undefined;
  },
};
