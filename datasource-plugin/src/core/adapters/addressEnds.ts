// `address:<ip>` ends (Coroot's servers) resolved to the pod holding that IP, interval by interval and instant by
// instant: the pods' IPs are a family like any other (timescope_pod_info{pod_ip}), so an IP that moves to a new pod
// gives the new pod the edges from then on, never the old pod's history. Addresses no pod held are external.
import { kindOfNodeId, nodeId } from '@timescope/common';
import { rollUp, type EdgeRecord, type ParentLink, type Presence } from '../rollup';
import { ADDRESS_END } from './coroot';

/** A pod holding an IP, while it does. */
export interface PodAddress extends Presence {
  ip: string;
  pod: string;
}

/** Resolves the address ends of `edges` to the pods holding them when they did. */
export function resolveAddressEnds(
  edges: readonly EdgeRecord[],
  pods: readonly PodAddress[],
  instants: readonly string[],
  stepMs: number,
): EdgeRecord[] {
  const links: ParentLink[] = pods.map((p) => ({
    node: `${ADDRESS_END}${p.ip}`,
    parent: p.pod,
    intervals: p.intervals,
    at: p.at,
  }));
  const known = new Set(links.map((l) => l.node));
  const external = (end: string): string =>
    end.startsWith(ADDRESS_END) && !known.has(end) ? nodeId.external(end.slice(ADDRESS_END.length)) : end;
  const direct: EdgeRecord[] = [];
  const through: EdgeRecord[] = [];
  for (const e of edges) {
    const r = { ...e, source: external(e.source), target: external(e.target) };
    (r.source.startsWith(ADDRESS_END) || r.target.startsWith(ADDRESS_END) ? through : direct).push(r);
  }
  // ends that are already pods (or external) roll up to themselves
  const resolved = rollUp(through, links, kindOfNodeId(nodeId.pod('', '')), instants, stepMs);
  return [...direct, ...resolved.values()];
}
