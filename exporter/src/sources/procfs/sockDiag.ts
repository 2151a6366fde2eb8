// The socket tables through netlink sock_diag (exporter/native/sockdiag.c, built by scripts/setup.sh when a C
// toolchain and Node's headers are there): the kernel filters by state and hands back binary records, so a probe
// neither makes the kernel print /proc/<pid>/net/tcp nor parses it. Optional: when the addon is not built, cannot
// load, or netlink is refused, the walk reads /proc/<pid>/net/tcp{,6} as before (walk.ts).
import { endianness } from 'node:os';
import { join } from 'node:path';
import { ipv6Address, TCP_ESTABLISHED, TCP_LISTEN, type AddressFamily, type TcpSocket } from './procNetTcp';

export interface SockDiag {
  /** netns: a /proc/<pid>/ns/net link ('' for the caller's); states: TCP state bitmask; families: 1 v4, 2 v6 */
  dump(netns: string, states: number, families: number): Buffer;
  recordSize: number;
}

/** Where node-gyp puts the addon: exporter/native/build/Release, three folders up from src/ or dist/ here. */
export const SOCKDIAG_ADDON = join(__dirname, '../../../native/build/Release/timescope_sockdiag.node');

export const FAMILY_V4 = 1;
export const FAMILY_V6 = 2;

let loaded: { diag?: SockDiag; error?: string } | undefined;

/** The addon, or why there is none (loaded once per thread). */
export function loadSockDiag(): { diag?: SockDiag; error?: string } {
  if (loaded) return loaded;
  if (process.platform !== 'linux') return (loaded = { error: `netlink sock_diag is Linux only` });
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const m = require(SOCKDIAG_ADDON) as Partial<SockDiag>;
    if (typeof m.dump !== 'function' || m.recordSize !== DIAG_RECORD) throw new Error('not the expected addon');
    loaded = { diag: m as SockDiag };
  } catch (e) {
    loaded = { error: (e as Error).message.split('\n')[0] };
  }
  return loaded;
}

/** family (1), state (1), local port (2), remote port (2), pad (2), inode (4), local (16), remote (16) */
export const DIAG_RECORD = 44;
const LITTLE = endianness() === 'LE';

const v4Text = new Map<number, string>();
const v6Text = new Map<string, string>();
const TEXT_MAX = 4096;

function v4At(b: Buffer, at: number): string {
  const word = b.readUInt32BE(at);
  let text = v4Text.get(word);
  if (text === undefined) {
    text = `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
    if (v4Text.size >= TEXT_MAX) v4Text.clear();
    v4Text.set(word, text);
  }
  return text;
}

function v6At(b: Buffer, at: number): string {
  const key = b.toString('latin1', at, at + 16);
  let text = v6Text.get(key);
  if (text === undefined) {
    text = ipv6Address([...b.subarray(at, at + 16)]);
    if (v6Text.size >= TEXT_MAX) v6Text.clear();
    v6Text.set(key, text);
  }
  return text;
}

/**
 * The records of one dump as TcpSocket, exactly as parseNetTcpBytes reads the same sockets from tcp and tcp6: the
 * family is the table's (an IPv6 socket's IPv4-mapped addresses read as plain IPv4, its family stays ipv6).
 */
export function parseDiagRecords(b: Buffer, out: TcpSocket[] = []): TcpSocket[] {
  const u16 = LITTLE ? (at: number) => b.readUInt16LE(at) : (at: number) => b.readUInt16BE(at);
  const u32 = LITTLE ? (at: number) => b.readUInt32LE(at) : (at: number) => b.readUInt32BE(at);
  for (let at = 0; at + DIAG_RECORD <= b.length; at += DIAG_RECORD) {
    const v4 = b[at] === 4;
    const family: AddressFamily = v4 ? 'ipv4' : 'ipv6';
    out.push({
      family,
      localAddress: v4 ? v4At(b, at + 12) : v6At(b, at + 12),
      localPort: u16(at + 2),
      remoteAddress: v4 ? v4At(b, at + 28) : v6At(b, at + 28),
      remotePort: u16(at + 4),
      state: b[at + 1],
      inode: u32(at + 8),
    });
  }
  return out;
}

/**
 * The listening records of a dump, in order (what a dump of the listeners alone hands back when they are unchanged),
 * and whether every established record has its inode (one not accepted yet gets it later, moving no counter).
 */
export function listenersOf(records: Buffer): { listening: Buffer; settled: boolean } {
  const parts: Buffer[] = [];
  let settled = true;
  for (let at = 0; at + DIAG_RECORD <= records.length; at += DIAG_RECORD) {
    const state = records[at + 1];
    if (state === TCP_LISTEN) parts.push(records.subarray(at, at + DIAG_RECORD));
    else if (state === TCP_ESTABLISHED && records.readUInt32LE(at + 8) === 0) settled = false; // 0 in either order
  }
  return { listening: Buffer.concat(parts), settled };
}
