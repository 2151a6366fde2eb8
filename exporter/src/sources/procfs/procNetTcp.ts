// /proc/<pid>/net/tcp and tcp6: one line per socket of the network namespace, addresses in hex in host byte order.
// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are reported as plain IPv4 so both ends of a dual-stack connection
// compare equal.
import { endianness } from 'node:os';

export const TCP_ESTABLISHED = 0x01;
export const TCP_LISTEN = 0x0a;

export type AddressFamily = 'ipv4' | 'ipv6';

/**
 * A socket inode, compared exactly: a number up to 2^53 - 1, the decimal text beyond (where numbers round and two
 * inodes could collide). One parse for both sides (net/tcp and the fd links) keeps equal inodes equal keys.
 */
export type SocketInode = number | string;

const DECIMAL = /^(?:0|[1-9][0-9]*)$/;

/** A canonical decimal inode (no sign, leading zero, exponent or fraction), or undefined. */
export function parseInode(text: string): SocketInode | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

export interface TcpSocket {
  /** the file the line came from: tcp is ipv4, tcp6 is ipv6 */
  family: AddressFamily;
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  state: number;
  inode: SocketInode;
}

export interface ParsedTcp {
  sockets: TcpSocket[];
  /** lines that could not be parsed (truncated, garbage) */
  malformed: number;
}

const LITTLE = endianness() === 'LE';

function word(hex: string, at: number): number[] {
  const b = [0, 2, 4, 6].map((i) => parseInt(hex.slice(at + i, at + i + 2), 16));
  return LITTLE ? b.reverse() : b;
}

/** 8 hex digits (one 32-bit word in host order) to dotted IPv4. */
export function hexToIpv4(hex: string): string {
  return word(hex, 0).join('.');
}

/** Formats 16 bytes as inet_ntop does: lowercase, longest run of zero groups (2+) as "::", mapped IPv4 dotted. */
export function formatIpv6(bytes: readonly number[]): string {
  const isMapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (isMapped) return `::ffff:${bytes.slice(12).join('.')}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i] << 8) | bytes[i + 1]);
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** 16 bytes as the socket tables are reported: inet_ntop form, IPv4-mapped addresses as plain IPv4. */
export function ipv6Address(bytes: readonly number[]): string {
  const text = formatIpv6(bytes);
  return text.startsWith('::ffff:') && text.includes('.') ? text.slice(7) : text;
}

/** 32 hex digits (four 32-bit words in host order) to an IPv6 address, IPv4-mapped ones as plain IPv4. */
export function hexToIpv6(hex: string): string {
  return ipv6Address([...word(hex, 0), ...word(hex, 8), ...word(hex, 16), ...word(hex, 24)]);
}

const HEX = /^[0-9A-Fa-f]+$/;

/**
 * Decoded addresses by their hex text: a busy host has thousands of sockets on a handful of addresses, and decoding
 * is most of the parse. Bounded: cleared when full.
 */
const decoded = new Map<string, string>();
const DECODED_MAX = 4096;

function decodeAddress(addr: string, family: AddressFamily): string | undefined {
  let text = decoded.get(addr);
  if (text !== undefined) return text;
  if (!HEX.test(addr)) return undefined;
  text = family === 'ipv4' ? hexToIpv4(addr) : hexToIpv6(addr);
  if (decoded.size >= DECODED_MAX) decoded.clear();
  decoded.set(addr, text);
  return text;
}

function parseEndpoint(field: string, family: AddressFamily): [string, number] | undefined {
  const colon = field.indexOf(':');
  const addr = field.slice(0, colon);
  const port = field.slice(colon + 1);
  if (colon < 0 || addr.length !== (family === 'ipv4' ? 8 : 32) || port.length !== 4) return undefined;
  if (!HEX.test(port)) return undefined;
  const text = decodeAddress(addr, family);
  return text === undefined ? undefined : [text, parseInt(port, 16)];
}

/** One line the general way: split on whitespace, every field checked. */
function parseLine(
  raw: string,
  family: AddressFamily,
  keep: (state: number) => boolean,
): TcpSocket | 'skip' | 'malformed' {
  const line = raw.trim();
  if (line.length === 0) return 'skip';
  const f = line.split(/\s+/);
  if (f.length < 10 || !f[0].endsWith(':') || f[3].length !== 2 || !HEX.test(f[3])) return 'malformed';
  const state = parseInt(f[3], 16);
  if (!keep(state)) return 'skip';
  const local = parseEndpoint(f[1], family);
  const remote = parseEndpoint(f[2], family);
  const inode = parseInode(f[9]);
  if (!local || !remote || inode === undefined) return 'malformed';
  return {
    family,
    localAddress: local[0],
    localPort: local[1],
    remoteAddress: remote[0],
    remotePort: remote[1],
    state,
    inode,
  };
}

const SPACE = 32;
const COLON = 58;
const NEWLINE = 10;

/** hex digit values by byte (-1 for anything else): one lookup per digit */
const HEX_VALUE = new Int8Array(256).fill(-1);
for (let c = 0; c < 256; c++) {
  if (c >= 48 && c <= 57) HEX_VALUE[c] = c - 48;
  else if (c >= 65 && c <= 70) HEX_VALUE[c] = c - 55;
  else if (c >= 97 && c <= 102) HEX_VALUE[c] = c - 87;
}

/** The value of `len` hex digits at `at`, or -1 if one is not a hex digit (len <= 8). */
function hexAt(b: Buffer, at: number, len: number): number {
  let v = 0;
  for (let k = 0; k < len; k++) {
    const d = HEX_VALUE[b[at + k]];
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/** `<addrLen hex>:<4 hex> ` at `at`. */
function isEndpoint(b: Buffer, at: number, addrLen: number): boolean {
  for (let k = 0; k < addrLen; k++) if (HEX_VALUE[b[at + k]] < 0) return false;
  const p = at + addrLen;
  return b[p] === COLON && hexAt(b, p + 1, 4) >= 0 && b[p + 5] === SPACE;
}

/** IPv4 addresses by their 32-bit hex value: no string is made to look one up. Bounded: cleared when full. */
const decodedV4 = new Map<number, string>();

function decodeV4At(b: Buffer, at: number): string {
  const word = hexAt(b, at, 8); // checked by isEndpoint
  let text = decodedV4.get(word);
  if (text === undefined) {
    text = hexToIpv4(b.toString('latin1', at, at + 8));
    if (decodedV4.size >= DECODED_MAX) decodedV4.clear();
    decodedV4.set(word, text);
  }
  return text;
}

function decodeAt(b: Buffer, at: number, family: AddressFamily): string | undefined {
  return family === 'ipv4' ? decodeV4At(b, at) : decodeAddress(b.toString('latin1', at, at + 32), family);
}

/**
 * The kernel's own layout (`  sl: LOCAL:PORT REMOTE:PORT ST ... INODE ...`, printable ASCII, fields separated by
 * spaces), read in place from the bytes without a string per line. Returns false for any other line, which
 * parseLine then reads: the result is the same either way, this is only faster for what the kernel writes.
 */
function fastLine(
  b: Buffer,
  start: number,
  end: number,
  family: AddressFamily,
  keep: (state: number) => boolean,
  out: TcpSocket[],
): boolean {
  const addrLen = family === 'ipv4' ? 8 : 32;
  let i = start;
  while (i < end && b[i] === SPACE) i++;
  const sl = i;
  while (i < end && b[i] >= 48 && b[i] <= 57) i++;
  if (i === sl || b[i] !== COLON || b[i + 1] !== SPACE) return false;
  const local = i + 2;
  const remote = local + addrLen + 6;
  const st = remote + addrLen + 6;
  if (st + 3 > end || !isEndpoint(b, local, addrLen) || !isEndpoint(b, remote, addrLen)) return false;
  const state = hexAt(b, st, 2);
  if (state < 0 || b[st + 2] !== SPACE) return false;
  // five more fields (tx:rx, tr:when, retrnsmt, uid, timeout), then the inode: runs of spaces between them
  i = st + 3;
  let inodeAt = -1;
  for (let field = 0; field < 6; field++) {
    while (i < end && b[i] === SPACE) i++;
    if (i >= end) return false;
    inodeAt = i;
    for (; i < end; i++) {
      const c = b[i];
      if (c === SPACE) break;
      if (c < 33 || c > 126) return false;
    }
  }
  // a row in a state nobody asked for (TIME_WAIT...) is skipped before its inode and addresses are decoded
  if (!keep(state)) return true;
  if (i - inodeAt > 15) return false; // past exact integers: let Number() decide
  let inode = 0;
  for (let k = inodeAt; k < i; k++) {
    const c = b[k];
    if (c < 48 || c > 57) return false;
    inode = inode * 10 + (c - 48);
  }
  const localAddress = decodeAt(b, local, family);
  const remoteAddress = decodeAt(b, remote, family);
  if (localAddress === undefined || remoteAddress === undefined) return false;
  out.push({
    family,
    localAddress,
    localPort: hexAt(b, local + addrLen + 1, 4),
    remoteAddress,
    remotePort: hexAt(b, remote + addrLen + 1, 4),
    state,
    inode,
  });
  return true;
}

/**
 * Parses the whole table from its bytes (as read: no string of the file is made); `keep` filters by state before
 * addresses are decoded (most sockets are skipped). The buffer is only read during the call.
 */
export function parseNetTcpBytes(
  b: Buffer,
  family: AddressFamily,
  keep: (state: number) => boolean = () => true,
): ParsedTcp {
  const sockets: TcpSocket[] = [];
  let malformed = 0;
  // the first line is the header
  let start = b.indexOf(NEWLINE) + 1;
  if (start === 0) return { sockets, malformed };
  while (start < b.length) {
    let end = b.indexOf(NEWLINE, start);
    if (end < 0) end = b.length;
    if (end > start && !fastLine(b, start, end, family, keep, sockets)) {
      const r = parseLine(b.toString('latin1', start, end), family, keep);
      if (r === 'malformed') malformed++;
      else if (r !== 'skip') sockets.push(r);
    }
    start = end + 1;
  }
  return { sockets, malformed };
}

/** parseNetTcpBytes on text (latin1, as the kernel's bytes). */
export function parseNetTcp(
  text: string,
  family: AddressFamily,
  keep: (state: number) => boolean = () => true,
): ParsedTcp {
  return parseNetTcpBytes(Buffer.from(text, 'latin1'), family, keep);
}
