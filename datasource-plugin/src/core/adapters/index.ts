// Edge sources: each adapter turns its own metric's labels into our edges (source and target node ids), so a user
// with Tempo's service graph, the OTel servicegraph connector, Beyla/OBI, Hubble, Retina, Coroot, Istio or Caretta
// gets the same time travel as with the Timescope exporter. docs/metrics.md's identity table lists each mapping.
import { anyOf } from '@timescope/common';
import type { EdgeSource } from '../query';
import { beyla, obi } from './beyla';
import { caretta } from './caretta';
import { coroot } from './coroot';
import { hubble, hubbleHttp } from './hubble';
import { istio } from './istio';
import { retina } from './retina';
import { tempo } from './servicegraph';
import { timescope } from './timescope';
import type { EdgeAdapter } from './types';

export * from './types';
export { ADDRESS_END } from './coroot';

export const ADAPTERS: Readonly<Record<EdgeSource, EdgeAdapter>> = {
  timescope,
  tempo,
  beyla,
  obi,
  hubble,
  'hubble-http': hubbleHttp,
  retina,
  coroot,
  istio,
  caretta,
};

/** A regex matching the filter's value(s) literally (`a|b`, as a multi-value variable expands, means a or b). */
export function exactValues(v: string): string {
  return anyOf(v.split('|'));
}
