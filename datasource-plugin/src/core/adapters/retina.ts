// Microsoft Retina's advanced forward counter, by source_* / destination_* context labels.
import { kubeEndId } from './ends';
import { labelledAdapter } from './labelled';

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

export const retina = labelledAdapter({
  id: 'retina',
  label: 'Retina',
  defaultMetric: 'networkobservability_adv_forward_bytes',
  needs: ['source_ip', 'destination_ip'],
  by: BY,
  presence: 'increase',
  value: 'group',
  kind: 'workload',
  skipsSelf: true,
  ends: (l) => [end(l, 'source'), end(l, 'destination')],
});
