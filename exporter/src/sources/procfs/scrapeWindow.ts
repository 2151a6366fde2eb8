// "Seen during the scrape interval": the probe runs many times between two scrapes, and a scrape publishes what
// every one of those probes saw, not only the last one, so that a connection that lived 2 s between two 15 s scrapes
// is not missed. Nodes and listeners are the union of the window (latest values win); edges, remote and NAT
// connections carry the highest connection count seen. A scrape starts a new window; until the next probe
// completes, the window is the last complete probe.
import type { NatConnection } from './natConnections';
import type { ContainerNode, Edge, Listener, ProcessNode, RemoteConnection, Topology } from './model/topology';

export interface ProbeView {
  topology: Topology;
  nat: NatConnection[];
}

const edgeKey = (e: Edge): string => `${e.source}\0${e.target}\0${e.port}`;
const remoteKey = (r: RemoteConnection): string => `${r.node}\0${r.direction}\0${r.address}\0${r.port}`;
const listenerKey = (l: Listener): string => `${l.node}\0${l.address}\0${l.port}\0${l.family}`;
const natKey = (n: NatConnection): string =>
  `${n.sourceAddress}\0${n.address}\0${n.port}\0${n.backendAddress}\0${n.backendPort}`;

/** Keeps the latest of each key. */
function putLatest<T>(into: Map<string, T>, items: readonly T[], key: (t: T) => string): void {
  for (const t of items) into.set(key(t), t);
}

/** Keeps the highest connection count of each key (a copy, so that the probe's objects stay unchanged). */
function putMax<T extends { connections: number }>(into: Map<string, T>, items: readonly T[], key: (t: T) => string) {
  for (const t of items) {
    const k = key(t);
    const had = into.get(k);
    if (!had) into.set(k, { ...t });
    else if (t.connections > had.connections) had.connections = t.connections;
  }
}

class Window {
  host: Topology['host'];
  readonly containers = new Map<string, ContainerNode>();
  readonly processes = new Map<string, ProcessNode>();
  readonly listeners = new Map<string, Listener>();
  readonly edges = new Map<string, Edge>();
  readonly remotes = new Map<string, RemoteConnection>();
  readonly nat = new Map<string, NatConnection>();
  probes = 0;

  constructor(first: ProbeView) {
    this.host = first.topology.host;
    this.add(first);
  }

  add(v: ProbeView): void {
    const t = v.topology;
    this.host = t.host;
    putLatest(this.containers, t.containers, (c) => c.id);
    putLatest(this.processes, t.processes, (p) => p.id);
    putLatest(this.listeners, t.listeners, listenerKey);
    putMax(this.edges, t.edges, edgeKey);
    putMax(this.remotes, t.remotes, remoteKey);
    putMax(this.nat, v.nat, natKey);
    this.probes++;
  }

  view(): ProbeView {
    return {
      topology: {
        host: this.host,
        containers: [...this.containers.values()],
        processes: [...this.processes.values()],
        listeners: [...this.listeners.values()],
        edges: [...this.edges.values()],
        remotes: [...this.remotes.values()],
      },
      nat: [...this.nat.values()],
    };
  }
}

export class ScrapeWindow {
  private window: Window | undefined;
  private last: ProbeView | undefined;

  /** A completed probe. */
  add(v: ProbeView): void {
    this.last = v;
    if (this.window) this.window.add(v);
    else this.window = new Window(v);
  }

  /**
   * What the probes saw since the previous take (a scrape), and a new window. With no probe since then: the last
   * complete probe (the same object each time, so that its rendering can be reused). undefined before any probe.
   */
  take(): { view: ProbeView; probes: number } | undefined {
    const w = this.window;
    this.window = undefined;
    // one probe in the window: that probe's own objects, nothing to merge
    if (w && w.probes > 1) return { view: w.view(), probes: w.probes };
    return this.last ? { view: this.last, probes: w ? 1 : 0 } : undefined;
  }
}
