// From one procfs snapshot to the topology: processes grouped by process key, sockets mapped to their process by
// inode, connections resolved to local edges when both ends are on this host.
import { nodeId, processKey } from '@timescope/common';
import { TCP_ESTABLISHED, TCP_LISTEN, type SocketInode, type TcpSocket } from '../procNetTcp';
import type { ProcRecord, ProcSnapshot } from '../snapshot';
import type { ContainerNode, Edge, HostNode, Listener, ProcessNode, RemoteConnection, Topology } from './topology';

export interface HostFacts {
  hostname: string;
  kernel: string;
  os: string;
  addresses: string[];
}

const WILDCARDS = new Set(['0.0.0.0', '::']);

function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1';
}

/**
 * Small integers for the strings a map key is made of (namespaces, addresses, node ids): a key of a few UTF-16 units
 * built from them hashes far faster than one joined from the strings (10,000 sockets per probe).
 */
class Ids {
  private readonly ids = new Map<string, number>();
  of(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(s, id);
    }
    return id;
  }
}

/**
 * Established sockets by their tuple, keyed by the two ports (one number) and checked on namespace and addresses: a
 * numeric key hashes far faster than a string built per socket (10,000 sockets per probe), and a port pair is shared
 * by few sockets. The last socket added with a tuple wins, as a Map keyed by the whole tuple would have it.
 */
class TupleIndex {
  private readonly byPorts = new Map<number, number | number[]>();

  constructor(private readonly all: Sockets) {}

  add(i: number, ports: number): void {
    const had = this.byPorts.get(ports);
    if (had === undefined) this.byPorts.set(ports, i);
    else if (typeof had === 'number') this.byPorts.set(ports, [had, i]);
    else had.push(i);
  }

  /** The last socket added whose local end is (localAddr, localPort) and remote end (remoteAddr, remotePort). */
  find(ns: number | undefined, localAddr: number, localPort: number, remoteAddr: number, remotePort: number) {
    const had = this.byPorts.get(localPort * 65536 + remotePort);
    if (had === undefined) return undefined;
    const a = this.all;
    const hit = (j: number): boolean =>
      a.local[j] === localAddr && a.remote[j] === remoteAddr && (ns === undefined || a.ns[j] === ns);
    if (typeof had === 'number') return hit(had) ? had : undefined;
    for (let k = had.length - 1; k >= 0; k--) if (hit(had[k])) return had[k];
    return undefined;
  }
}

/** Counted items by two small integers and a port, without building a key string per increment. */
class Counts<T extends { connections: number }> {
  private readonly byFirst = new Map<number, Map<number, T>>();
  readonly items: T[] = [];

  bump(first: number, second: number, port: number, make: () => T): void {
    let inner = this.byFirst.get(first);
    if (!inner) this.byFirst.set(first, (inner = new Map()));
    const k = second * 65536 + port;
    let t = inner.get(k);
    if (!t) {
      t = make();
      inner.set(k, t);
      this.items.push(t);
    }
    t.connections++;
  }
}

/** The sockets of every namespace side by side (no per-socket copies), with interned namespace and addresses. */
interface Sockets {
  list: TcpSocket[];
  ns: number[];
  local: number[];
  remote: number[];
}

function flatten(byNs: ProcSnapshot['sockets'], ids: Ids): Sockets {
  const out: Sockets = { list: [], ns: [], local: [], remote: [] };
  for (const [ns, list] of Object.entries(byNs)) {
    const n = ids.of(ns);
    for (const s of list) {
      out.list.push(s);
      out.ns.push(n);
      out.local.push(ids.of(s.localAddress));
      out.remote.push(ids.of(s.remoteAddress));
    }
  }
  return out;
}

/** The process-key of each pid: name + the ports it listens on, + its container when in one. */
function keysOf(processes: readonly ProcRecord[], portsByPid: Map<number, Set<number>>): Map<number, string> {
  const keys = new Map<number, string>();
  for (const p of processes) {
    const base = processKey(p.name, portsByPid.get(p.pid) ?? []);
    keys.set(p.pid, p.containerId ? `${base}@${p.containerId.slice(0, 12)}` : base);
  }
  return keys;
}

function groupProcesses(
  sorted: readonly ProcRecord[],
  keys: Map<number, string>,
  hostname: string,
  hostId: string,
): Map<string, ProcessNode> {
  const groups = new Map<string, ProcessNode>();
  for (const p of sorted) {
    const key = keys.get(p.pid) as string;
    const g = groups.get(key);
    if (g) {
      g.instances++;
      g.cpuSeconds += p.cpuSeconds;
      g.rssBytes += p.rssBytes;
      g.startTime = Math.min(g.startTime, p.startTime);
      continue;
    }
    const containerId = p.containerId ? p.containerId.slice(0, 12) : '';
    groups.set(key, {
      id: nodeId.process(hostname, key),
      key,
      name: p.name,
      parent: containerId ? nodeId.container(hostname, containerId) : hostId,
      user: p.user,
      cmdline: p.cmdline,
      containerId,
      pid: p.pid,
      ppid: p.ppid,
      instances: 1,
      cpuSeconds: p.cpuSeconds,
      rssBytes: p.rssBytes,
      startTime: p.startTime,
    });
  }
  return groups;
}

/** Listening ports of each pid: every holder of a listening socket listens. */
function listeningPorts(sorted: readonly ProcRecord[], all: Sockets): Map<number, Set<number>> {
  const portsOfInode = new Map<SocketInode, number[]>();
  for (const s of all.list) {
    if (s.state !== TCP_LISTEN) continue;
    const ports = portsOfInode.get(s.inode);
    if (ports) ports.push(s.localPort);
    else portsOfInode.set(s.inode, [s.localPort]);
  }
  const portsByPid = new Map<number, Set<number>>();
  for (const p of sorted) {
    for (const i of p.inodes) {
      const ports = portsOfInode.get(i);
      if (!ports) continue;
      const set = portsByPid.get(p.pid) ?? new Set<number>();
      for (const port of ports) set.add(port);
      portsByPid.set(p.pid, set);
    }
  }
  return portsByPid;
}

/**
 * What the last build resolved, for the next: when every namespace's socket list is the same array as last time
 * (the walk hands back an unchanged table as the same array) and every process owns the same inodes (the same
 * array), the listening ports of each process are the same; when every process is also under the same node, the
 * listeners, edges and remote connections are the same, and are not resolved again. On a steady host (most probes
 * at one a second) neither the sockets are indexed nor a map of them is built.
 */
export interface TopologyMemo {
  sockets?: ProcSnapshot['sockets'];
  /** pid, inodes of each process in pid order */
  inodes?: unknown[];
  portsByPid?: Map<number, Set<number>>;
  /** node of each process in pid order */
  nodes?: string[];
  resolved?: Pick<Topology, 'listeners' | 'edges' | 'remotes'>;
  /** the process nodes of the last build by key: a node equal to its last one is that same object again */
  processes?: Map<string, ProcessNode>;
}

function sameNode(a: ProcessNode, b: ProcessNode): boolean {
  for (const k in a) if (a[k as keyof ProcessNode] !== b[k as keyof ProcessNode]) return false;
  return true;
}

function sameSockets(a: ProcSnapshot['sockets'], b: ProcSnapshot['sockets'] | undefined): boolean {
  if (!b) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

function sameList(a: unknown[], b: unknown[] | undefined): boolean {
  return b !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);
}

export function buildTopology(snapshot: ProcSnapshot, facts: HostFacts, memo: TopologyMemo = {}): Topology {
  const hostId = nodeId.host(facts.hostname);
  const host: HostNode = {
    id: hostId,
    name: facts.hostname,
    kernel: facts.kernel,
    os: facts.os,
    addresses: facts.addresses,
  };
  const sorted = [...snapshot.processes].sort((a, b) => a.pid - b.pid);
  const inodes: unknown[] = [];
  for (const p of sorted) inodes.push(p.pid, p.inodes);
  const sameOwners = sameSockets(snapshot.sockets, memo.sockets) && sameList(inodes, memo.inodes);
  let all: { sockets: Sockets; ids: Ids } | undefined;
  const flat = (): { sockets: Sockets; ids: Ids } => {
    if (all) return all;
    const ids = new Ids();
    return (all = { sockets: flatten(snapshot.sockets, ids), ids });
  };
  const portsByPid = (sameOwners && memo.portsByPid) || listeningPorts(sorted, flat().sockets);
  const keys = keysOf(snapshot.processes, portsByPid);
  const groups = groupProcesses(sorted, keys, facts.hostname, hostId);
  // unchanged nodes (most processes sleep between two probes) stay the same objects: probeWire.ts sends them as such
  for (const [key, node] of groups) {
    const last = memo.processes?.get(key);
    if (last && sameNode(node, last)) groups.set(key, last);
  }
  const nodes = sorted.map((p) => (groups.get(keys.get(p.pid) as string) as ProcessNode).id);

  const containers = new Map<string, ContainerNode>();
  for (const p of snapshot.processes) {
    if (!p.containerId) continue;
    const cid = p.containerId.slice(0, 12);
    if (!containers.has(cid)) {
      containers.set(cid, {
        id: nodeId.container(facts.hostname, cid),
        containerId: cid,
        runtime: p.runtime ?? 'unknown',
        parent: hostId,
      });
    }
  }

  let resolved = memo.resolved;
  if (!resolved || !sameOwners || !sameList(nodes, memo.nodes)) {
    // inode -> node of its owner (the lowest pid when a socket is shared, e.g. by pre-forked workers)
    const nodeOfInode = new Map<SocketInode, string>();
    for (const [k, p] of sorted.entries())
      for (const i of p.inodes) if (!nodeOfInode.has(i)) nodeOfInode.set(i, nodes[k]);
    const { sockets, ids } = flat();
    resolved = resolve(sockets, ids, nodeOfInode);
  }
  Object.assign(memo, { sockets: snapshot.sockets, inodes, portsByPid, nodes, resolved, processes: groups });
  const { listeners, edges, remotes } = resolved;
  return {
    host,
    containers: [...containers.values()],
    processes: [...groups.values()],
    listeners,
    edges,
    remotes,
  };
}

function resolve(
  all: Sockets,
  ids: Ids,
  nodeOfInode: Map<SocketInode, string>,
): Pick<Topology, 'listeners' | 'edges' | 'remotes'> {
  const listeners = new Map<string, Listener>();
  for (const s of all.list) {
    if (s.state !== TCP_LISTEN) continue;
    const node = nodeOfInode.get(s.inode);
    if (!node) continue;
    const l: Listener = { node, address: s.localAddress, port: s.localPort, family: s.family };
    listeners.set(`${node}|${l.address}|${l.port}|${l.family}`, l);
  }

  const { edges, remotes } = resolveConnections(all, ids, nodeOfInode);
  return { listeners: [...listeners.values()], edges, remotes };
}

/** Namespace + port -> local addresses listening there. */
function listenAddresses(all: Sockets): Map<number, string[]> {
  const at = new Map<number, string[]>();
  for (let i = 0; i < all.list.length; i++) {
    const s = all.list[i];
    if (s.state !== TCP_LISTEN) continue;
    const k = all.ns[i] * 65536 + s.localPort;
    const list = at.get(k);
    if (list) list.push(s.localAddress);
    else at.set(k, [s.localAddress]);
  }
  return at;
}

function resolveConnections(
  all: Sockets,
  ids: Ids,
  nodeOfInode: Map<SocketInode, string>,
): { edges: Edge[]; remotes: RemoteConnection[] } {
  const listening = listenAddresses(all);
  const established: number[] = [];
  // the sockets with a tuple: in their namespace, and those not bound to loopback (looked for across namespaces)
  const inNs = new TupleIndex(all);
  const notLoopback = new TupleIndex(all);
  for (let i = 0; i < all.list.length; i++) {
    const s = all.list[i];
    if (s.state !== TCP_ESTABLISHED) continue;
    established.push(i);
    const ports = s.localPort * 65536 + s.remotePort;
    inNs.add(i, ports);
    if (!isLoopback(s.localAddress)) notLoopback.add(i, ports);
  }
  // The other end of a connection: in the same namespace, or (not loopback) in another namespace of this host.
  const peerOf = (i: number): TcpSocket | undefined => {
    const s = all.list[i];
    const j =
      inNs.find(all.ns[i], all.remote[i], s.remotePort, all.local[i], s.localPort) ??
      (isLoopback(s.remoteAddress)
        ? undefined
        : notLoopback.find(undefined, all.remote[i], s.remotePort, all.local[i], s.localPort));
    return j === undefined ? undefined : all.list[j];
  };
  const isServerSide = (i: number): boolean => {
    const s = all.list[i];
    const at = listening.get(all.ns[i] * 65536 + s.localPort);
    return at !== undefined && at.some((a) => a === s.localAddress || WILDCARDS.has(a));
  };

  const edges = new Counts<Edge>();
  const inbound = new Counts<RemoteConnection>();
  const outbound = new Counts<RemoteConnection>();
  const remotes: RemoteConnection[] = [];
  const addRemote = (node: string, direction: 'outbound' | 'inbound', address: string, port: number): void => {
    (direction === 'inbound' ? inbound : outbound).bump(ids.of(node), ids.of(address), port, () => {
      const r: RemoteConnection = { node, direction, address, port, connections: 0 };
      remotes.push(r); // in the order first seen, whatever the direction
      return r;
    });
  };

  for (const i of established) {
    const s = all.list[i];
    const node = nodeOfInode.get(s.inode);
    if (!node) continue; // a socket of a process we cannot see (not root), or already closed
    const peer = peerOf(i);
    const peerNode = peer ? nodeOfInode.get(peer.inode) : undefined;
    if (isServerSide(i)) {
      // published from the client's side when the client is local and visible
      if (!peerNode) addRemote(node, 'inbound', s.remoteAddress, s.localPort);
      continue;
    }
    if (!peerNode) {
      addRemote(node, 'outbound', s.remoteAddress, s.remotePort);
      continue;
    }
    edges.bump(ids.of(node), ids.of(peerNode), s.remotePort, () => ({
      source: node,
      target: peerNode,
      port: s.remotePort,
      connections: 0,
    }));
  }
  return { edges: edges.items, remotes };
}
