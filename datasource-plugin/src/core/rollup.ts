// Process-level edges to the view's edges: remote connections resolved through listeners and host addresses
// (docs/metrics.md, "Edges"), then both ends rolled up through `parent` links (process -> container -> pod -> host),
// interval by interval, so a process that moved to a new pod counts for the old one before and the new one after.
import { edgeId, kindOfNodeId, nodeId, NodeKind } from '@timescope/common';
import { union, intersect, type Interval } from './timeline';

/** An object's presence: intervals on the step grid, plus whether it is present at each named instant. */
export interface Presence {
  intervals: Interval[];
  /** named instants (from, at, to) the object is present at, with its value there */
  at: Map<string, number>;
}

export interface EdgeRecord extends Presence {
  source: string;
  target: string;
}

export interface RemoteRecord extends Presence {
  node: string;
  direction: string;
  address: string;
  port: string;
}

export interface Listener {
  node: string;
  host: string;
  address: string;
  port: string;
}

const WILDCARDS = new Set(['0.0.0.0', '::', '']);

/** Resolves remote connections to process edges; `owners` maps an address to the host owning it. */
export function resolveRemote(
  remotes: readonly RemoteRecord[],
  listeners: readonly Listener[],
  owners: ReadonlyMap<string, string>,
): EdgeRecord[] {
  const exact = new Map(listeners.map((l) => [`${l.address}|${l.port}`, l.node]));
  const wildcard = new Map(
    listeners.filter((l) => WILDCARDS.has(l.address)).map((l) => [`${l.host}|${l.port}`, l.node]),
  );
  const out: EdgeRecord[] = [];
  for (const r of remotes) {
    if (r.direction === 'outbound') {
      const host = owners.get(r.address);
      const target =
        exact.get(`${r.address}|${r.port}`) ??
        (host !== undefined ? wildcard.get(`${host}|${r.port}`) : undefined) ??
        nodeId.external(r.address);
      out.push({ source: r.node, target, intervals: r.intervals, at: r.at });
    } else if (r.direction === 'inbound' && !owners.has(r.address)) {
      // clients on a host with an exporter publish the same connection as outbound; only the others are external
      out.push({ source: nodeId.external(r.address), target: r.node, intervals: r.intervals, at: r.at });
    }
  }
  return out;
}

/** Merges records with the same ends: intervals united, values at instants summed. */
export function mergeEdges(records: readonly EdgeRecord[], stepMs: number): Map<string, EdgeRecord> {
  const out = new Map<string, EdgeRecord>();
  for (const r of records) {
    const id = edgeId(r.source, r.target);
    const cur = out.get(id);
    if (!cur) {
      out.set(id, { source: r.source, target: r.target, intervals: [...r.intervals], at: new Map(r.at) });
      continue;
    }
    cur.intervals = union(cur.intervals, r.intervals, stepMs);
    for (const [k, v] of r.at) cur.at.set(k, (cur.at.get(k) ?? 0) + v);
  }
  return out;
}

export interface ParentLink extends Presence {
  node: string;
  parent: string;
}

const ALWAYS: Interval[] = [[-Infinity, Infinity]];

interface Ancestor {
  id: string;
  intervals: Interval[];
  /** instants at which this ancestry holds */
  at: Set<string>;
}

/** Rolls edges up to nodes of `kind`; edges whose ends have no such ancestor, and self-loops, are dropped. */
export function rollUp(
  edges: Iterable<EdgeRecord>,
  links: readonly ParentLink[],
  kind: string,
  instants: readonly string[],
  stepMs: number,
): Map<string, EdgeRecord> {
  const byNode = new Map<string, ParentLink[]>();
  for (const l of links) byNode.set(l.node, [...(byNode.get(l.node) ?? []), l]);
  const memo = new Map<string, Ancestor[]>();
  const ancestors = (id: string, depth: number): Ancestor[] => {
    const idKind = kindOfNodeId(id);
    if (idKind === kind || idKind === NodeKind.External) return [{ id, intervals: ALWAYS, at: new Set(instants) }];
    if (depth > 8) return [];
    const cached = memo.get(id);
    if (cached) return cached;
    const out: Ancestor[] = [];
    for (const l of byNode.get(id) ?? []) {
      for (const a of ancestors(l.parent, depth + 1)) {
        const intervals = intersect(l.intervals, a.intervals);
        const at = new Set([...a.at].filter((k) => l.at.has(k)));
        if (intervals.length > 0 || at.size > 0) out.push({ id: a.id, intervals, at });
      }
    }
    memo.set(id, out);
    return out;
  };
  const rolled: EdgeRecord[] = [];
  for (const e of edges) {
    for (const s of ancestors(e.source, 0)) {
      for (const t of ancestors(e.target, 0)) {
        if (s.id === t.id) continue;
        const intervals = intersect(intersect(e.intervals, s.intervals), t.intervals);
        const at = new Map([...e.at].filter(([k]) => s.at.has(k) && t.at.has(k)));
        if (intervals.length > 0 || at.size > 0) rolled.push({ source: s.id, target: t.id, intervals, at });
      }
    }
  }
  return mergeEdges(rolled, stepMs);
}
