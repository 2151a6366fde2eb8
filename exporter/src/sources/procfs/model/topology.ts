// The host's topology at one instant: nodes (host, containers, process groups) with parent relations, listening
// sockets, edges between local nodes and connections whose other end is on another host.
export interface HostNode {
  id: string;
  name: string;
  kernel: string;
  os: string;
  /** IP addresses of the host, loopback excluded */
  addresses: string[];
}

export interface ContainerNode {
  id: string;
  /** 12 hex digits */
  containerId: string;
  runtime: string;
  parent: string;
}

/** All processes of a host with the same process key (and container) form one node. */
export interface ProcessNode {
  id: string;
  key: string;
  name: string;
  parent: string;
  user: string;
  cmdline: string;
  /** 12 hex, or "" */
  containerId: string;
  pid: number;
  ppid: number;
  instances: number;
  cpuSeconds: number;
  rssBytes: number;
  startTime: number;
}

export interface Listener {
  node: string;
  address: string;
  port: number;
  family: 'ipv4' | 'ipv6';
}

/** Established connections from `source` to `target`'s listening `port`, both on this host. */
export interface Edge {
  source: string;
  target: string;
  port: number;
  connections: number;
}

/** Established connections between local `node` and another host's `address`. */
export interface RemoteConnection {
  node: string;
  direction: 'outbound' | 'inbound';
  address: string;
  /** the server's port: the remote one for outbound, the local one for inbound */
  port: number;
  connections: number;
}

export interface Topology {
  host: HostNode;
  containers: ContainerNode[];
  processes: ProcessNode[];
  listeners: Listener[];
  edges: Edge[];
  remotes: RemoteConnection[];
}
