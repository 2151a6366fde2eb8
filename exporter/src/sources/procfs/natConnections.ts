// Which backend a translated connection actually reached. A client socket shows the address it dialled (a Service
// ClusterIP); the conntrack entry of that connection, matched by its original tuple, names the backend in its reply
// tuple. Only connections of this host's own client sockets are kept, and the client's ephemeral port is dropped,
// so the series stay bounded like timescope_remote_connections (docs/metrics.md, "NAT").
import { Metric } from '@timescope/common';
import type { MetricFamily } from '../../runtime/source';
import { isDestinationTranslated, type ConntrackEntry } from './conntrack';
import { TCP_ESTABLISHED, type TcpSocket } from './procNetTcp';

export interface NatConnection {
  /** the client's address, as its socket has it */
  sourceAddress: string;
  /** the address and port the client dialled (e.g. a ClusterIP and service port) */
  address: string;
  port: number;
  /** where the connection was translated to (e.g. a backend pod IP and its container port) */
  backendAddress: string;
  backendPort: number;
  connections: number;
}

const tupleKey = (src: string, sport: number, dst: string, dport: number): string => `${src}|${sport}|${dst}|${dport}`;

/** Keeps only the translated (DNAT) conntrack entries, each connection once even if several tables list it. */
export function translatedEntries(entries: readonly ConntrackEntry[]): ConntrackEntry[] {
  const seen = new Map<string, ConntrackEntry>();
  for (const e of entries) {
    if (!isDestinationTranslated(e)) continue;
    const o = e.original;
    seen.set(tupleKey(o.src, o.sport, o.dst, o.dport), e);
  }
  return [...seen.values()];
}

/**
 * Joins translated entries (translatedEntries' output, as the snapshot carries them) with this host's established
 * client sockets (of every network namespace).
 */
export function natConnections(
  translated: readonly ConntrackEntry[],
  sockets: Readonly<Record<string, readonly TcpSocket[]>>,
): NatConnection[] {
  // the usual host has no conntrack table: no need to key its 10,000 sockets
  if (translated.length === 0) return [];
  const local = new Set<string>();
  for (const list of Object.values(sockets)) {
    for (const s of list) {
      if (s.state === TCP_ESTABLISHED) local.add(tupleKey(s.localAddress, s.localPort, s.remoteAddress, s.remotePort));
    }
  }
  const out = new Map<string, NatConnection>();
  for (const e of translated) {
    const o = e.original;
    if (!local.has(tupleKey(o.src, o.sport, o.dst, o.dport))) continue;
    const k = `${o.src}|${o.dst}|${o.dport}|${e.reply.src}|${e.reply.sport}`;
    const n = out.get(k);
    if (n) n.connections++;
    else
      out.set(k, {
        sourceAddress: o.src,
        address: o.dst,
        port: o.dport,
        backendAddress: e.reply.src,
        backendPort: e.reply.sport,
        connections: 1,
      });
  }
  return [...out.values()];
}

export function natFamily(nat: readonly NatConnection[], host: string): MetricFamily {
  return {
    name: Metric.NatConnections,
    help: 'Established TCP connections of this host whose destination was translated (conntrack), by backend reached.',
    type: 'gauge',
    samples: nat.map((n) => ({
      labels: {
        source_address: n.sourceAddress,
        address: n.address,
        port: String(n.port),
        backend_address: n.backendAddress,
        backend_port: String(n.backendPort),
        host,
      },
      value: n.connections,
    })),
  };
}
