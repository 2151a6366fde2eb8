// From one procfs snapshot to the topology: processes grouped by process key, sockets mapped to their process by
// inode, connections resolved to local edges when both ends are on this host.
import { nodeId, processKey } from '@timescope/common';
import { TCP_ESTABLISHED, TCP_LISTEN, type TcpSocket } from '../sources/procfs/procNetTcp';
import type { ProcRecord, ProcSnapshot } from '../sources/procfs/snapshot';
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

function tupleKey(localAddress: string, localPort: number, remoteAddress: string, remotePort: number): string {
  return `${localAddress}|${localPort}|${remoteAddress}|${remotePort}`;
}

/** A socket with the namespace it was seen in. */
interface NsSocket extends TcpSocket {
  ns: string;
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
  processes: readonly ProcRecord[],
  keys: Map<number, string>,
  hostname: string,
  hostId: string,
): Map<string, ProcessNode> {
  const groups = new Map<string, ProcessNode>();
  const sorted = [...processes].sort((a, b) => a.pid - b.pid);
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

export function buildTopology(snapshot: ProcSnapshot, facts: HostFacts): Topology {
  const hostId = nodeId.host(facts.hostname);
  const host: HostNode = {
    id: hostId,
    name: facts.hostname,
    kernel: facts.kernel,
    os: facts.os,
    addresses: facts.addresses,
  };

  // inode -> owning pid (the lowest pid when a socket is shared, e.g. by pre-forked workers)
  const owner = new Map<number, number>();
  const sortedProcs = [...snapshot.processes].sort((a, b) => a.pid - b.pid);
  for (const p of sortedProcs) for (const i of p.inodes) if (!owner.has(i)) owner.set(i, p.pid);
  const holders = new Map<number, number[]>();
  for (const p of sortedProcs) {
    for (const i of p.inodes) {
      const list = holders.get(i);
      if (list) list.push(p.pid);
      else holders.set(i, [p.pid]);
    }
  }

  const all: NsSocket[] = [];
  for (const [ns, list] of Object.entries(snapshot.sockets)) for (const s of list) all.push({ ...s, ns });

  // Listening ports of each pid (every holder of a listening socket listens).
  const portsByPid = new Map<number, Set<number>>();
  const listenersByPort = new Map<string, NsSocket[]>();
  for (const s of all) {
    if (s.state !== TCP_LISTEN) continue;
    const at = `${s.ns}#${s.localPort}`;
    const list = listenersByPort.get(at);
    if (list) list.push(s);
    else listenersByPort.set(at, [s]);
    for (const pid of holders.get(s.inode) ?? []) {
      const set = portsByPid.get(pid) ?? new Set<number>();
      set.add(s.localPort);
      portsByPid.set(pid, set);
    }
  }

  const keys = keysOf(snapshot.processes, portsByPid);
  const groups = groupProcesses(snapshot.processes, keys, facts.hostname, hostId);
  const nodeOfInode = (inode: number): string | undefined => {
    const pid = owner.get(inode);
    return pid === undefined ? undefined : groups.get(keys.get(pid) as string)?.id;
  };

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

  const listeners = new Map<string, Listener>();
  for (const s of all) {
    if (s.state !== TCP_LISTEN) continue;
    const node = nodeOfInode(s.inode);
    if (!node) continue;
    const l: Listener = { node, address: s.localAddress, port: s.localPort, family: s.family };
    listeners.set(`${node}|${l.address}|${l.port}|${l.family}`, l);
  }

  const { edges, remotes } = resolveConnections(all, listenersByPort, nodeOfInode);
  return {
    host,
    containers: [...containers.values()],
    processes: [...groups.values()],
    listeners: [...listeners.values()],
    edges,
    remotes,
  };
}

function resolveConnections(
  all: readonly NsSocket[],
  listenersByPort: Map<string, NsSocket[]>,
  nodeOfInode: (inode: number) => string | undefined,
): { edges: Edge[]; remotes: RemoteConnection[] } {
  const established = all.filter((s) => s.state === TCP_ESTABLISHED);
  const byTupleInNs = new Map<string, NsSocket>();
  const byTuple = new Map<string, NsSocket>();
  for (const s of established) {
    const k = tupleKey(s.localAddress, s.localPort, s.remoteAddress, s.remotePort);
    byTupleInNs.set(`${s.ns}#${k}`, s);
    if (!isLoopback(s.localAddress)) byTuple.set(k, s);
  }
  // The other end of a connection: in the same namespace, or (not loopback) in another namespace of this host.
  const peerOf = (s: NsSocket): NsSocket | undefined => {
    const k = tupleKey(s.remoteAddress, s.remotePort, s.localAddress, s.localPort);
    return byTupleInNs.get(`${s.ns}#${k}`) ?? (isLoopback(s.remoteAddress) ? undefined : byTuple.get(k));
  };
  const isServerSide = (s: NsSocket): boolean =>
    (listenersByPort.get(`${s.ns}#${s.localPort}`) ?? []).some(
      (l) => l.localAddress === s.localAddress || WILDCARDS.has(l.localAddress),
    );

  const edges = new Map<string, Edge>();
  const remotes = new Map<string, RemoteConnection>();
  const addRemote = (node: string, direction: 'outbound' | 'inbound', address: string, port: number): void => {
    const k = `${node}|${direction}|${address}|${port}`;
    const r = remotes.get(k);
    if (r) r.connections++;
    else remotes.set(k, { node, direction, address, port, connections: 1 });
  };

  for (const s of established) {
    const node = nodeOfInode(s.inode);
    if (!node) continue; // a socket of a process we cannot see (not root), or already closed
    const peer = peerOf(s);
    const peerNode = peer ? nodeOfInode(peer.inode) : undefined;
    if (isServerSide(s)) {
      // published from the client's side when the client is local and visible
      if (!peerNode) addRemote(node, 'inbound', s.remoteAddress, s.localPort);
      continue;
    }
    if (!peerNode) {
      addRemote(node, 'outbound', s.remoteAddress, s.remotePort);
      continue;
    }
    const k = `${node}|${peerNode}|${s.remotePort}`;
    const e = edges.get(k);
    if (e) e.connections++;
    else edges.set(k, { source: node, target: peerNode, port: s.remotePort, connections: 1 });
  }
  return { edges: [...edges.values()], remotes: [...remotes.values()] };
}
