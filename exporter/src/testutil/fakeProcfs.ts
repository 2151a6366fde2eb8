// Builds a procfs tree in a temporary folder (stat, cmdline, cgroup, ns/net and fd links, net/tcp{,6}) so the walk
// can be tested on exactly the content a test wants, including content a real kernel would rarely produce.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeProcess {
  pid: number;
  /** comm; Buffer for bytes that are not UTF-8 */
  name?: string | Buffer;
  ppid?: number;
  /** the whole stat file, replacing the generated one (for malformed content) */
  stat?: string | Buffer;
  /** NUL-separated arguments, as the kernel shows them */
  cmdline?: string | Buffer;
  cgroup?: string;
  /** network namespace inode, default 4026531840 */
  netns?: number;
  /** socket inodes among the open files */
  sockets?: number[];
  utime?: number;
  stime?: number;
  rssPages?: number;
  startTicks?: number;
  /** the stat flags field (PF_KTHREAD 0x00200000 marks a kernel thread); default 4194304 (PF_RANDOMIZE) */
  flags?: number;
  /** leave out these files, as if the process exited while being read */
  missing?: ('stat' | 'fd' | 'cmdline' | 'cgroup' | 'ns')[];
}

export interface FakeProcfsSpec {
  processes: FakeProcess[];
  /** net/tcp and net/tcp6 text of each network namespace (keyed by namespace inode) */
  net: Record<number, { tcp?: string; tcp6?: string }>;
  btime?: number;
}

export const DEFAULT_NETNS = 4026531840;

function statLine(p: FakeProcess): Buffer {
  const name = typeof p.name === 'string' || p.name === undefined ? Buffer.from(p.name ?? `proc${p.pid}`) : p.name;
  const after = [
    'S',
    p.ppid ?? 1,
    p.pid,
    p.pid,
    0,
    -1,
    p.flags ?? 4194304,
    0,
    0,
    0,
    0,
    p.utime ?? 0,
    p.stime ?? 0,
    0,
    0,
    20,
    0,
    1,
    0,
    p.startTicks ?? 1000,
    1000000,
    p.rssPages ?? 100,
    '18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0',
  ].join(' ');
  return Buffer.concat([Buffer.from(`${p.pid} (`), name, Buffer.from(`) ${after}\n`)]);
}

/** Creates the tree; returns its root and a cleanup function. */
export function buildFakeProcfs(spec: FakeProcfsSpec): { root: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'timescope-procfs-'));
  writeFileSync(join(root, 'stat'), `cpu  1 2 3 4\nbtime ${spec.btime ?? 1764000000}\nprocesses 99\n`);
  for (const p of spec.processes) {
    const dir = join(root, String(p.pid));
    const missing = new Set(p.missing ?? []);
    mkdirSync(dir);
    if (!missing.has('stat')) writeFileSync(join(dir, 'stat'), p.stat ?? statLine(p));
    if (!missing.has('cmdline')) writeFileSync(join(dir, 'cmdline'), p.cmdline ?? `proc${p.pid}\0--flag\0`);
    if (!missing.has('cgroup')) writeFileSync(join(dir, 'cgroup'), p.cgroup ?? '0::/user.slice\n');
    const ns = p.netns ?? DEFAULT_NETNS;
    if (!missing.has('ns')) {
      mkdirSync(join(dir, 'ns'));
      symlinkSync(`net:[${ns}]`, join(dir, 'ns', 'net'));
    }
    if (!missing.has('fd')) {
      mkdirSync(join(dir, 'fd'));
      symlinkSync('/dev/null', join(dir, 'fd', '0'));
      (p.sockets ?? []).forEach((inode, i) => symlinkSync(`socket:[${inode}]`, join(dir, 'fd', String(i + 3))));
    }
    const net = spec.net[ns];
    mkdirSync(join(dir, 'net'));
    writeFileSync(join(dir, 'net', 'tcp'), net?.tcp ?? TCP_HEADER);
    writeFileSync(join(dir, 'net', 'tcp6'), net?.tcp6 ?? TCP_HEADER);
  }
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export const TCP_HEADER =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';

function hexV4(address: string): string {
  const b = address.split('.').map(Number);
  return b
    .reverse()
    .map((x) => x.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
}

/** One net/tcp line (IPv4, little-endian host) for a socket. */
export function tcpLine(
  sl: number,
  local: [string, number],
  remote: [string, number],
  state: number,
  inode: number,
): string {
  const ep = ([a, p]: [string, number]): string => `${hexV4(a)}:${p.toString(16).padStart(4, '0').toUpperCase()}`;
  const st = state.toString(16).padStart(2, '0').toUpperCase();
  return `${String(sl).padStart(4)}: ${ep(local)} ${ep(remote)} ${st} 00000000:00000000 00:00000000 00000000     0        0 ${inode} 1 0000000000000000 100 0 0 10 0\n`;
}
