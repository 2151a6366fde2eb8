// /proc/<pid>/net/nf_conntrack: the kernel's connection tracking table of a network namespace, one line per tracked
// flow. The first src/dst/sport/dport group is the original direction (as the client sent it), the second the reply
// direction (as the server answers): after a DNAT (kube-proxy's ClusterIP rules) the reply's source is the backend
// actually reached. Addresses are written like the socket tables: IPv6 in inet_ntop form, IPv4-mapped as plain IPv4.
import { isIPv4, isIPv6 } from 'node:net';
import { ipv6Address } from './procNetTcp';

export interface ConntrackTuple {
  src: string;
  dst: string;
  sport: number;
  dport: number;
}

export interface ConntrackEntry {
  family: 'ipv4' | 'ipv6';
  protocol: string;
  /** the TCP state (`ESTABLISHED`, `TIME_WAIT`, ...), "" for protocols without one */
  state: string;
  original: ConntrackTuple;
  reply: ConntrackTuple;
}

export interface ParsedConntrack {
  entries: ConntrackEntry[];
  /** lines that could not be parsed (truncated, garbage) */
  malformed: number;
}

/** Which lines to decode, from their protocol and state alone (most of a busy table is skipped unparsed). */
export type ConntrackFilter = (protocol: string, state: string) => boolean;

/** Protocols whose tuples have ports; others (icmp, gre, ...) are skipped: a flow without ports is no edge. */
const WITH_PORTS = new Set(['tcp', 'udp', 'udplite', 'sctp', 'dccp']);

export const establishedTcp: ConntrackFilter = (protocol, state) => protocol === 'tcp' && state === 'ESTABLISHED';

/** Expands an IPv6 address (full `%pI6` groups, or compressed) to its 16 bytes; undefined when it is not one. */
function ipv6Bytes(text: string): number[] | undefined {
  if (!isIPv6(text) || text.includes('.')) return undefined;
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  if (groups.length !== 8) return undefined;
  return groups.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

function address(text: string | undefined, family: 'ipv4' | 'ipv6'): string | undefined {
  if (text === undefined) return undefined;
  if (family === 'ipv4') return isIPv4(text) ? text : undefined;
  const bytes = ipv6Bytes(text);
  return bytes ? ipv6Address(bytes) : undefined;
}

function port(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,5}$/.test(text)) return undefined;
  const n = Number(text);
  return n <= 65535 ? n : undefined;
}

/** The key=value fields after the header; keys seen twice (src, dst, sport, dport) are kept in order. */
function tuples(fields: readonly string[], from: number): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (let i = from; i < fields.length; i++) {
    const eq = fields[i].indexOf('=');
    if (eq <= 0) continue; // flags such as [ASSURED] and [UNREPLIED]
    const k = fields[i].slice(0, eq);
    const list = out.get(k);
    if (list) list.push(fields[i].slice(eq + 1));
    else out.set(k, [fields[i].slice(eq + 1)]);
  }
  return out;
}

function tuple(kv: Map<string, string[]>, at: number, family: 'ipv4' | 'ipv6'): ConntrackTuple | undefined {
  const src = address(kv.get('src')?.[at], family);
  const dst = address(kv.get('dst')?.[at], family);
  const sport = port(kv.get('sport')?.[at]);
  const dport = port(kv.get('dport')?.[at]);
  if (src === undefined || dst === undefined || sport === undefined || dport === undefined) return undefined;
  return { src, dst, sport, dport };
}

/** Parses the whole table; `keep` picks lines by protocol and state before their tuples are decoded. */
export function parseConntrack(text: string, keep: ConntrackFilter = establishedTcp): ParsedConntrack {
  const entries: ConntrackEntry[] = [];
  let malformed = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.length === 0) continue;
    const f = line.split(/\s+/);
    const family = f[0];
    if ((family !== 'ipv4' && family !== 'ipv6') || f.length < 5 || !/^\d+$/.test(f[1]) || !/^\d+$/.test(f[3])) {
      malformed++;
      continue;
    }
    const protocol = f[2];
    // the state column exists only for protocols that have one (tcp, sctp, dccp): it is the word before src=
    const state = f[5] !== undefined && /^[A-Z_]+$/.test(f[5]) ? f[5] : '';
    if (!WITH_PORTS.has(protocol)) continue;
    if (protocol === 'tcp' && !state) {
      malformed++; // a TCP line always has its state: this one is cut short
      continue;
    }
    if (!keep(protocol, state)) continue;
    const kv = tuples(f, state ? 6 : 5);
    const original = tuple(kv, 0, family);
    const reply = tuple(kv, 1, family);
    if (!original || !reply) {
      malformed++;
      continue;
    }
    entries.push({ family, protocol, state, original, reply });
  }
  return { entries, malformed };
}

/** True when the reply does not come from where the client sent: the destination was translated (DNAT). */
export function isDestinationTranslated(e: ConntrackEntry): boolean {
  return e.reply.src !== e.original.dst || e.reply.sport !== e.original.dport;
}
