// Signal before noise in the process view: a host runs many processes that never talk to anything (shells, sleep,
// a browser's helpers). By default the view keeps the processes that take part in the topology (an edge at some
// point of the range, in either direction, to a process or an external address) and hides the others, saying how
// many; the query option `idleProcesses: 'show'` brings them back. Group nodes (hosts) are kept while a kept
// process is under them.
import type { Topology } from './topology';

export const IDLE_PROCESS_MODES = ['hide', 'show'] as const;
export type IdleProcessMode = (typeof IDLE_PROCESS_MODES)[number];
export const DEFAULT_IDLE_PROCESSES: IdleProcessMode = 'hide';

export interface IdleFilterResult {
  topology: Topology;
  /** process nodes left out */
  hidden: number;
}

export function hideIdleProcesses(t: Topology, mode: IdleProcessMode = DEFAULT_IDLE_PROCESSES): IdleFilterResult {
  if (mode === 'show' || t.request.view !== 'process') return { topology: t, hidden: 0 };
  const active = new Set<string>();
  for (const e of t.edges) {
    if (e.intervals.length === 0 && e.at.size === 0) continue;
    active.add(e.source);
    active.add(e.target);
  }
  const idle = (n: Topology['nodes'][number]) => n.kind === 'process' && !active.has(n.id);
  const kept = t.nodes.filter((n) => !idle(n));
  const hidden = t.nodes.length - kept.length;
  if (hidden === 0) return { topology: t, hidden };
  // a parent (host) whose processes all went stays only if it is itself an edge end
  const parents = new Set(kept.map((n) => n.parent).filter(Boolean));
  const nodes = kept.filter((n) => n.kind === 'process' || active.has(n.id) || parents.has(n.id));
  const ids = new Set(nodes.map((n) => n.id));
  const edges = t.edges.filter((e) => ids.has(e.source) && ids.has(e.target));
  return { topology: { ...t, nodes, edges }, hidden };
}

/** The notice the panel shows for hidden processes (with how to show them). */
export function idleNotice(hidden: number): string {
  const what = hidden === 1 ? '1 process without a connection is' : `${hidden} processes without a connection are`;
  return `${what} hidden (query option "Idle processes: show" lists them)`;
}
