// The synchronous walk of /proc (run inside a worker thread: synchronous reads are about twice as fast as
// fs.promises here, and the worker keeps the walk off the event loop that serves scrapes).
import { isUtf8 } from 'node:buffer';
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { errorKind, type ProbeErrorKind } from '../../runtime/sourceHealth';
import { labelText, MAX_CMDLINE_LENGTH } from '../../runtime/labelText';
import { containerFromCgroup, type ContainerRef } from './cgroup';
import { parseConntrack, type ConntrackEntry } from './conntrack';
import { translatedEntries } from './natConnections';
import { readProcBytes, readProcText } from './procRead';
import {
  parseInode,
  parseNetTcpBytes,
  TCP_ESTABLISHED,
  TCP_LISTEN,
  type SocketInode,
  type TcpSocket,
} from './procNetTcp';
import { HeldFiles, isProcfs } from './heldFiles';
import { FAMILY_V4, FAMILY_V6, listenersOf, loadSockDiag, parseDiagRecords, type SockDiag } from './sockDiag';
import { tcpCounters } from './tcpCounters';
import { MalformedError, parseBootTime, parsePid, parseStat, PF_KTHREAD } from './procStat';
import type { ProcRecord, ProcSnapshot } from './snapshot';

export interface WalkOptions {
  /** the procfs mount, `/proc` or a host's `/host/proc` */
  root: string;
  /** /etc/passwd text for user names (uids are shown as numbers without it) */
  passwd?: string;
  clockTicks?: number;
  pageSize?: number;
  /**
   * Keep each process's socket inodes between walks (default true) and re-read its fd table only when it is new,
   * when sockets no known process owns appear, or on the slow refresh; false re-reads every fd every walk.
   */
  incremental?: boolean;
  /**
   * Every known process's fd table is checked at least this often, spread over the walks (default 60 s): re-read
   * when its count of open fds changed (one stat on a real procfs), and re-read anyway every REREAD_PERIODS periods.
   */
  refreshSeconds?: number;
  /**
   * How the socket tables are read: 'auto' (default) through netlink sock_diag when its addon is built and the
   * kernel allows it in the namespace, else /proc/<pid>/net/tcp{,6}; 'procfs' always from the text tables.
   */
  socketReader?: 'auto' | 'procfs';
  /** /proc/<pid>/stat descriptors held open between walks, at most (default 8192, and a quarter of ulimit -n) */
  maxHeldFiles?: number;
  /**
   * A known process's stat (CPU, memory, name, parent) is read again once it is this old (default 0: every walk);
   * new pids are read at once and the /proc listing still tells every walk which processes are gone. At one probe a
   * second, reading 500 stats was the largest part of a walk on a steady host (issue 14).
   */
  statSeconds?: number;
}

/** How the last walk read its namespaces' socket tables (tests, bench, the log). */
export interface SocketReads {
  netlink: number;
  procfs: number;
  /** why netlink was not used for some (addon missing, refused), when it was not */
  fallback?: string;
}

/** What stays the same for the life of a process: read once per (pid, start time). */
interface Stable {
  startTicks: number;
  name: string;
  cmdline: string;
  uid: number;
  container?: ContainerRef;
}

/** What a process's fd table held when last read: reused by the incremental walk. */
interface Fds {
  startTicks: number;
  netns: string;
  inodes: SocketInode[];
  /** how many fds the table held: a table whose count changed since is searched first for unknown sockets */
  count: number;
  /** performance.now() of the read */
  readAt: number;
  /** performance.now() of the last read or refresh check, for the refresh order */
  checkedAt: number;
}

type Fail = (k: ProbeErrorKind, what: string, e?: unknown) => void;

/** A process's last parsed stat and the record made from it. */
interface LastStat {
  bytes: Buffer;
  rec: ProcRecord;
  stable: Stable;
  /** performance.now() of the read, moved back by a share of statSeconds on the first, to spread later reads */
  readAt: number;
}

/** A namespace's last netlink dump and what tells whether the next one can be skipped (tcpCounters.ts). */
interface Dump {
  records: Buffer;
  sockets: TcpSocket[];
  /** the namespace's TCP counters read just before the dump; undefined when unreadable (always dumped) */
  counters: string | undefined;
  families: number;
  /** its listening records alone, in order: what a dump of the listeners alone hands back when they are unchanged */
  listening: Buffer;
  /** no established socket without an inode (one not accepted yet gets its inode later, moving no counter) */
  settled: boolean;
}

const MAX_PROBLEMS = 10;
/** the inodes of an fd table that cannot be read: one array, so that an unchanged walk hands back the same one */
const UNREADABLE: SocketInode[] = [];
/** ns/net links a walk may fail to open (another user's processes) before a namespace is read from /proc */
const MAX_NS_DENIED = 3;
const DIAG_STATES = (1 << TCP_ESTABLISHED) | (1 << TCP_LISTEN);
const DEFAULT_REFRESH_SECONDS = 60;
/** a namespace without a conntrack table (no module loaded) is looked at again this often */
const CONNTRACK_RECHECK_MS = 30_000;
/**
 * A refresh re-reads a table whose fd count did not change only when it was read longer ago than this many refresh
 * periods. What a refresh guards against is a socket that moved between known processes (passed over a unix socket,
 * or left with a child when its parent closed its copy): both tables change their count then. Socket inode numbers
 * are not reused in practice (a 32-bit counter), so a closed socket's stale entry attributes nothing.
 */
const REREAD_PERIODS = 10;

/**
 * Whether the namespace may have IPv6 TCP sockets: false only when its sockstat6 says none are in use. Reading tcp6
 * walks the whole socket hash table (shared by every namespace) even when it lists nothing (measured: 7.7 ms of CPU
 * beside 25 ms for a 7,300-socket tcp); sockstat6 is one short line per protocol. Established and listening IPv6 sockets
 * (IPv4-mapped ones included) are counted there; when the file is missing or unreadable, tcp6 is read.
 */
export function mayHoldTcp6(netDir: string): boolean {
  let text: string;
  try {
    text = readProcText(`${netDir}/sockstat6`, 'latin1');
  } catch {
    return true;
  }
  const m = /^TCP6: inuse (\d+)/m.exec(text);
  return !m || Number(m[1]) > 0;
}

export function parsePasswd(text: string): Map<number, string> {
  const users = new Map<number, string>();
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length >= 3 && /^\d+$/.test(f[2])) users.set(Number(f[2]), labelText(f[0]));
  }
  return users;
}

/** Walks procfs; keeps per-process facts between walks so that a steady host costs few reads. */
export class ProcWalker {
  private readonly stable = new Map<number, Stable>();
  private readonly users: Map<number, string>;
  private bootTime: number | undefined;
  /** incremental walk: the fd tables read so far, and how many of them hold each socket inode */
  private readonly fds = new Map<number, Fds>();
  private readonly holders = new Map<SocketInode, number>();
  /** socket inodes a search of every fd table did not find (not readable, or not yet accepted) */
  private unowned = new Set<SocketInode>();
  /** the socket tables of the last walk, to tell which sockets closed since */
  private lastSockets: Record<string, TcpSocket[]> = {};
  /**
   * Processes that held a TCP socket that closed since their fd table was read: a client that reconnects keeps its
   * count of fds, and its table is the likeliest home of a new socket (searched before any other, without a stat).
   */
  private readonly closedSince = new Set<number>();
  private lastWalk: number | undefined;
  private refreshCredit = 0;
  /** whether the last readSocketInodes could list the folder, and how many fds it listed */
  private lastReadable = false;
  private lastCount = 0;
  /** the pids whose fd table this walk has read (or tried to) */
  private readonly readNow = new Set<number>();
  private readonly diag: SockDiag | undefined;
  /** namespaces where netlink was refused: read from /proc from then on (a refusal does not go away) */
  private readonly diagRefused = new Set<string>();
  private diagProblem: string | undefined;
  /** each namespace's last netlink dump, as the kernel sent it and as parsed (kept while the namespace is seen) */
  private readonly lastDump = new Map<string, Dump>();
  /** the process whose ns/net link entered each namespace last time */
  private readonly diagPid = new Map<string, number>();
  private reads: SocketReads = { netlink: 0, procfs: 0 };
  /** the stat bytes and the record made from them, of each process whose stat was parsed last */
  private readonly lastStat = new Map<number, LastStat>();
  /** when each namespace was found without a conntrack table ('' for procfs' own) */
  private readonly noConntrack = new Map<string, number>();
  /** /proc/<pid>/stat descriptors kept open between walks (real procfs only) */
  private readonly statFiles: HeldFiles;
  /** whether an fd folder's size is its count of open fds (a real procfs; a copied tree's folders are not) */
  private readonly countsFds: boolean;

  /** how the last walk read its socket tables */
  get socketReads(): SocketReads {
    return this.reads;
  }

  /** fd tables read (or tried) in the last walk: how incremental it was (tests, bench) */
  get fdReads(): number {
    return this.readNow.size;
  }

  constructor(private readonly opts: WalkOptions) {
    this.users = parsePasswd(opts.passwd ?? '');
    this.countsFds = isProcfs(opts.root);
    this.statFiles = new HeldFiles(this.countsFds, opts.maxHeldFiles);
    if (opts.socketReader !== 'procfs') {
      const { diag, error } = loadSockDiag();
      this.diag = diag;
      this.diagProblem = error && `netlink sock_diag addon not loaded (${error})`;
    } else this.diagProblem = 'socketReader: procfs';
  }

  /** Closes the descriptors held between walks. */
  close(): void {
    this.statFiles.closeAll();
  }

  walk(): ProcSnapshot {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const errors: Record<ProbeErrorKind, number> = { vanished: 0, permission: 0, malformed: 0, io: 0 };
    const problems: string[] = [];
    const fail: Fail = (kind, what, e) => {
      errors[kind]++;
      if (problems.length < MAX_PROBLEMS) problems.push(`${kind}: ${what}${e ? `: ${(e as Error).message}` : ''}`);
    };
    const root = this.opts.root;
    this.readNow.clear();
    this.reads = { netlink: 0, procfs: 0 };
    // Without /proc itself there is nothing to serve: let the caller mark the cycle failed.
    const entries = readdirSync(root);
    this.bootTime ??= parseBootTime(readFileSync(`${root}/stat`, 'latin1'));

    const processes: ProcRecord[] = [];
    const seen = new Set<number>();
    const listed = new Set<number>();
    const nsPids = new Map<string, number[]>();
    for (const entry of entries) {
      const c = entry.charCodeAt(0);
      if (c < 48 || c > 57) continue;
      const pid = parsePid(entry);
      if (pid === undefined) continue;
      listed.add(pid);
      const rec = this.notDue(pid, t0) ?? this.readProcess(pid, t0, fail);
      if (!rec) continue;
      seen.add(pid);
      processes.push(rec);
      if (rec.netns) {
        const list = nsPids.get(rec.netns);
        if (list) list.push(pid);
        else nsPids.set(rec.netns, [pid]);
      }
    }
    for (const pid of this.stable.keys()) if (!seen.has(pid)) this.stable.delete(pid);
    for (const pid of this.lastStat.keys()) if (!seen.has(pid)) this.lastStat.delete(pid);
    // kernel threads are not in `seen`, but their held stat stays open while they are listed
    this.statFiles.retain((pid) => listed.has(pid));
    for (const pid of this.fds.keys()) if (!seen.has(pid)) this.forgetFds(pid);

    const sockets: Record<string, TcpSocket[]> = {};
    const tracked: ConntrackEntry[] = [];
    let tables = 0;
    for (const [ns, pids] of nsPids) {
      const read = this.readNamespaceSockets(ns, pids, fail);
      sockets[ns] = read.sockets;
      if (read.conntrack) {
        tables++;
        for (const e of read.conntrack) tracked.push(e);
      }
    }
    // no namespace could be read through a pid: the table of the namespace procfs was mounted from, if any
    if (tables === 0) for (const e of this.readConntrack('', `${root}/net`, fail, t0) ?? []) tracked.push(e);
    if (this.reads.procfs > 0) this.reads.fallback = this.diagProblem;
    for (const ns of this.lastDump.keys()) if (!nsPids.has(ns)) this.lastDump.delete(ns);
    for (const ns of this.noConntrack.keys()) if (ns !== '' && !nsPids.has(ns)) this.noConntrack.delete(ns);
    if (this.opts.incremental !== false) {
      this.noteClosed(sockets);
      this.catchUp(processes, sockets, t0, fail);
    }
    this.lastSockets = sockets;
    this.lastWalk = t0;

    const cpu = process.cpuUsage(cpu0);
    return {
      processes,
      sockets,
      conntrack: translatedEntries(tracked),
      errors,
      problems,
      wallSeconds: (performance.now() - t0) / 1000,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
    };
  }

  /**
   * The incremental walk's second half, once the socket tables are read: re-reads the fd tables that are due for
   * the slow refresh, then, while sockets no known process holds remain, the fd tables of the processes in those
   * sockets' namespaces (then the others), stopping as soon as every such socket has its owner.
   */
  private catchUp(processes: ProcRecord[], sockets: Record<string, TcpSocket[]>, now: number, fail: Fail): void {
    const byPid = new Map<number, ProcRecord>();
    for (const p of processes) byPid.set(p.pid, p);
    const reread = (p: ProcRecord): void => {
      if (this.readNow.has(p.pid)) return;
      const inodes = this.readFds(p.pid, p.netns, now, fail);
      if (inodes) p.inodes = inodes;
    };
    // the refresh: the share of the known processes that the time since the last walk is of the refresh period
    const period = (this.opts.refreshSeconds ?? DEFAULT_REFRESH_SECONDS) * 1000;
    const since = this.lastWalk === undefined ? 0 : Math.min(period, now - this.lastWalk);
    // fractions carry over, so that a short interval still refreshes everything within the period
    this.refreshCredit += (this.fds.size * since) / period;
    const due = Math.floor(this.refreshCredit);
    this.refreshCredit -= due;
    if (due > 0) {
      const oldest = [...this.fds].sort((a, b) => a[1].checkedAt - b[1].checkedAt).slice(0, due);
      for (const [pid, known] of oldest) {
        const p = byPid.get(pid);
        if (!p) continue;
        if (this.countsFds && now - known.readAt < REREAD_PERIODS * period && this.fdCount(pid) === known.count) {
          known.checkedAt = now;
        } else reread(p);
      }
    }

    // Unknown sockets: server ends (their local port is listened on in their namespace) are searched for among the
    // holders of that listener (accepted there, or not yet accepted: tried again next walk); client ends among the
    // processes of their namespace first, then all, and remembered when nobody visible holds them.
    const unknown = new Set<SocketInode>();
    const unknownNs = new Set<string>();
    const accepted = new Set<SocketInode>();
    const stillThere = new Set<SocketInode>();
    for (const ns in sockets) {
      const listening = new Map<number, SocketInode[]>();
      for (const s of sockets[ns]) {
        if (s.state !== TCP_LISTEN) continue;
        const l = listening.get(s.localPort);
        if (l) l.push(s.inode);
        else listening.set(s.localPort, [s.inode]);
      }
      for (const s of sockets[ns]) {
        if (this.holders.has(s.inode)) continue;
        const listeners = s.state === TCP_ESTABLISHED ? listening.get(s.localPort) : undefined;
        if (listeners) {
          for (const i of listeners) accepted.add(i);
          unknown.add(s.inode);
        } else if (this.unowned.has(s.inode)) stillThere.add(s.inode);
        else {
          unknown.add(s.inode);
          unknownNs.add(ns);
        }
      }
    }
    this.unowned = stillThere;
    if (unknown.size === 0) return;
    // Sockets that lived less than a probe (a short request) are often closed before their owner's fd table is read:
    // before the tables that did not change size are searched too (every process, on a busy host), the namespaces
    // are listed again and the sockets gone since are no longer looked for.
    let rechecked = false;
    const recheck = (): boolean => {
      if (rechecked) return false;
      rechecked = true;
      const present = new Set<SocketInode>();
      for (const ns in sockets) {
        if (!sockets[ns].some((s) => unknown.has(s.inode))) continue;
        const pids = processes.filter((p) => p.netns === ns).map((p) => p.pid);
        for (const s of this.readNamespaceSockets(ns, pids, () => undefined, true).sockets) present.add(s.inode);
      }
      for (const i of unknown) if (!present.has(i)) unknown.delete(i);
      return unknown.size === 0;
    };
    const search = (candidates: ProcRecord[]): boolean => {
      const closed = candidates.filter((p) => this.closedSince.has(p.pid));
      const { changed, same } = this.bySizeChange(candidates.filter((p) => !this.closedSince.has(p.pid)));
      for (const list of [closed, changed, same]) {
        if (list === same && same.length > 0 && recheck()) return true;
        for (const p of list) {
          reread(p);
          for (const i of p.inodes) unknown.delete(i);
          if (unknown.size === 0) return true;
        }
      }
      return false;
    };
    if (accepted.size > 0 && search(processes.filter((p) => p.inodes.some((i) => accepted.has(i))))) return;
    if (unknownNs.size === 0) return;
    const inNs = processes.filter((p) => unknownNs.has(p.netns));
    if (search(inNs.concat(processes.filter((p) => !unknownNs.has(p.netns))))) return;
    for (const i of unknown) this.unowned.add(i);
  }
  /**
   * Marks the processes holding a socket that was in the last walk's tables and is in none of this walk's (closed,
   * or out of the established and listening states). Only namespaces whose table changed are compared.
   */
  private noteClosed(sockets: Record<string, TcpSocket[]>): void {
    let gone: Set<SocketInode> | undefined;
    for (const ns in this.lastSockets) {
      const before = this.lastSockets[ns];
      const now = sockets[ns];
      if (before === now) continue;
      const present = new Set<SocketInode>();
      for (const s of now ?? []) present.add(s.inode);
      for (const s of before) {
        if (present.has(s.inode) || !this.holders.has(s.inode)) continue;
        (gone ??= new Set()).add(s.inode);
      }
    }
    const closed = gone;
    if (!closed) return;
    for (const [pid, known] of this.fds) if (known.inodes.some((i) => closed.has(i))) this.closedSince.add(pid);
  }

  /**
   * The candidates whose fd table changed size since it was read (its folder's size is its count of open fds since
   * Linux 6.2: one stat, against a readdir and a readlink per fd), and the others, each in their order: a new socket
   * is most often in a table that grew. Every candidate is searched in the end, so the search finds the same owners.
   */
  private bySizeChange(candidates: ProcRecord[]): { changed: ProcRecord[]; same: ProcRecord[] } {
    if (candidates.length < 2) return { changed: candidates, same: [] };
    const changed: ProcRecord[] = [];
    const same: ProcRecord[] = [];
    for (const p of candidates) {
      const known = this.fds.get(p.pid);
      const size = known && !this.readNow.has(p.pid) ? this.fdCount(p.pid) : -1;
      (known && size === known.count ? same : changed).push(p);
    }
    return { changed, same };
  }

  /** The size of pid's fd folder (its count of open fds on procfs since Linux 6.2, else 0); -1 when gone. */
  private fdCount(pid: number): number {
    try {
      return statSync(`${this.opts.root}/${pid}/fd`).size;
    } catch {
      return -1; // gone or not readable: its read will say which
    }
  }

  /**
   * The last record of a known process whose stat is not due yet (statSeconds), while nothing it was made from has
   * changed: its names and its fd table (read again since, its record is made anew). undefined: read its stat.
   */
  private notDue(pid: number, now: number): ProcRecord | undefined {
    const period = (this.opts.statSeconds ?? 0) * 1000;
    if (period <= 0 || this.opts.incremental === false) return undefined;
    const last = this.lastStat.get(pid);
    if (!last || now - last.readAt >= period || this.stable.get(pid) !== last.stable) return undefined;
    return this.fds.get(pid)?.inodes === last.rec.inodes ? last.rec : undefined;
  }

  private readProcess(pid: number, now: number, fail: Fail): ProcRecord | undefined {
    const dir = `${this.opts.root}/${pid}`;
    let stat;
    // the held descriptor's buffer: valid until the next stat read, copied if kept
    let bytes: Buffer;
    /** whether the process had a record (its next read is not spread) */
    let had = false;
    try {
      bytes = this.statFiles.read(pid, `${dir}/stat`);
      const same = this.sameAsLast(pid, bytes, now);
      if (same) return same;
      had = this.lastStat.has(pid);
      this.lastStat.delete(pid);
      stat = parseStat(bytes.toString('utf8', 0, bytes.length));
    } catch (e) {
      if (e instanceof MalformedError) fail('malformed', `${dir}/stat`, e);
      else fail(errorKind(e), `${dir}/stat`, e);
      return undefined;
    }
    // The flag, not pid 2: inside a pid namespace (a container, a netns test host) pid 2 is an ordinary process.
    if ((stat.flags & PF_KTHREAD) !== 0) return undefined;
    const stable = this.readStable(pid, dir, stat.startTicks, stat.name, fail);
    if (!stable) return undefined;
    let netns: string;
    let inodes: SocketInode[];
    const known = this.opts.incremental === false ? undefined : this.fds.get(pid);
    if (known && known.startTicks === stat.startTicks) {
      ({ netns, inodes } = known);
    } else {
      if (known) this.forgetFds(pid); // a reused pid
      netns = '';
      try {
        netns = readlinkSync(`${dir}/ns/net`);
      } catch (e) {
        const kind = errorKind(e);
        fail(kind, `${dir}/ns/net`, e);
        if (kind === 'vanished') return undefined;
      }
      const read = this.readFds(pid, netns, now, fail, stat.startTicks);
      if (read === undefined) return undefined;
      inodes = read;
    }
    const ticks = this.opts.clockTicks ?? 100;
    const rec: ProcRecord = {
      pid,
      ppid: stat.ppid,
      name: stable.name,
      cmdline: stable.cmdline,
      uid: stable.uid,
      user: this.users.get(stable.uid) ?? String(stable.uid),
      startTime: (this.bootTime ?? 0) + stat.startTicks / ticks,
      cpuSeconds: (stat.utimeTicks + stat.stimeTicks) / ticks,
      rssBytes: stat.rssPages * (this.opts.pageSize ?? 4096),
      containerId: stable.container?.id,
      runtime: stable.container?.runtime,
      netns,
      inodes,
    };
    // a name counted as malformed is counted every walk: such a record is made anew each time
    const clean = stable.name === stat.name && !stat.name.includes('\ufffd');
    // a process seen for the first time is read again after a share of the period that its pid picks, so that the
    // processes found by the first walk are not all due in the same later walk
    const period = (this.opts.statSeconds ?? 0) * 1000;
    const readAt = had ? now : now - (period * (pid % 16)) / 16;
    if (clean) this.lastStat.set(pid, { bytes: Buffer.from(bytes), rec, stable, readAt });
    return rec;
  }

  /**
   * The record of the last walk when pid's stat is byte for byte the one it was made from (most processes sleep
   * between two probes a second apart), its names unchanged and its fd table not read since: nothing to parse or
   * allocate, and the topology can tell the process has not changed.
   */
  private sameAsLast(pid: number, bytes: Buffer, now: number): ProcRecord | undefined {
    const last = this.lastStat.get(pid);
    if (!last || !last.bytes.equals(bytes) || this.stable.get(pid) !== last.stable) return undefined;
    const known = this.opts.incremental === false ? undefined : this.fds.get(pid);
    if (!known || known.inodes !== last.rec.inodes) return undefined;
    last.readAt = now;
    return last.rec;
  }

  /**
   * Reads pid's fd table and, when readable, keeps it for later walks. undefined when the process is gone; [] when
   * its folder is not readable (not root), which is not kept, so it is tried again (and counted) every walk.
   */
  private readFds(pid: number, netns: string, now: number, fail: Fail, startTicks?: number): SocketInode[] | undefined {
    this.readNow.add(pid);
    this.closedSince.delete(pid);
    let inodes = this.readSocketInodes(`${this.opts.root}/${pid}`, fail);
    if (this.opts.incremental === false) return inodes;
    const had = this.fds.get(pid);
    const ticks = startTicks ?? had?.startTicks;
    this.forgetFds(pid);
    if (inodes === undefined || ticks === undefined || this.lastReadable === false) return inodes;
    // a table read again that holds the same sockets (the slow refresh, mostly) hands back the same array: the
    // topology of an unchanged host is not resolved again (TopologyMemo)
    if (had && had.startTicks === ticks && sameInodes(had.inodes, inodes)) inodes = had.inodes;
    this.fds.set(pid, { startTicks: ticks, netns, inodes, count: this.lastCount, readAt: now, checkedAt: now });
    for (const i of inodes) this.holders.set(i, (this.holders.get(i) ?? 0) + 1);
    return inodes;
  }

  private forgetFds(pid: number): void {
    const known = this.fds.get(pid);
    this.closedSince.delete(pid);
    if (!known) return;
    this.fds.delete(pid);
    for (const i of known.inodes) {
      const n = (this.holders.get(i) ?? 0) - 1;
      if (n > 0) this.holders.set(i, n);
      else this.holders.delete(i);
    }
  }

  private readStable(
    pid: number,
    dir: string,
    startTicks: number,
    rawName: string,
    fail: (k: ProbeErrorKind, what: string, e?: unknown) => void,
  ): Stable | undefined {
    const name = labelText(rawName);
    if (name !== rawName || (rawName.includes('\ufffd') && !commIsUtf8(dir))) {
      fail('malformed', `${dir}/stat: name with control characters or invalid UTF-8`);
    }
    const known = this.stable.get(pid);
    // A process that renames itself (process.title) rewrites its command line too: re-read on a name change.
    if (known && known.startTicks === startTicks && known.name === name) return known;
    let uid: number;
    try {
      uid = statSync(dir).uid;
    } catch (e) {
      fail(errorKind(e), dir, e);
      return undefined;
    }
    const cmdline = this.readOptional(`${dir}/cmdline`, fail, true);
    const cgroup = this.readOptional(`${dir}/cgroup`, fail);
    const s: Stable = {
      startTicks,
      name,
      uid,
      cmdline: labelText(cmdline.replace(/\0+$/, '').replace(/\0/g, ' '), MAX_CMDLINE_LENGTH),
      container: containerFromCgroup(cgroup),
    };
    this.stable.set(pid, s);
    return s;
  }

  /** The file's text ('' when unreadable); `checked`: bytes that are not UTF-8 are counted as malformed. */
  private readOptional(
    path: string,
    fail: (k: ProbeErrorKind, what: string, e?: unknown) => void,
    checked = false,
  ): string {
    try {
      if (!checked) return readFileSync(path, 'utf8');
      const bytes = readFileSync(path);
      if (!isUtf8(bytes)) fail('malformed', `${path}: invalid UTF-8`);
      return bytes.toString('utf8');
    } catch (e) {
      const kind = errorKind(e);
      if (kind !== 'vanished') fail(kind, path, e);
      return '';
    }
  }

  /** Socket inodes from the fd links; [] when the folder is not readable (not root), undefined when gone. */
  private readSocketInodes(
    dir: string,
    fail: (k: ProbeErrorKind, what: string, e?: unknown) => void,
  ): SocketInode[] | undefined {
    let fds: string[];
    this.lastReadable = false;
    try {
      fds = readdirSync(`${dir}/fd`);
    } catch (e) {
      const kind = errorKind(e);
      fail(kind, `${dir}/fd`, e);
      return kind === 'vanished' ? undefined : UNREADABLE;
    }
    this.lastReadable = true;
    this.lastCount = fds.length;
    const inodes: SocketInode[] = [];
    for (const fd of fds) {
      let link: string;
      try {
        link = readlinkSync(`${dir}/fd/${fd}`);
      } catch {
        continue; // closed between readdir and readlink: normal churn, not an error
      }
      if (link.startsWith('socket:[') && link.endsWith(']')) {
        const inode = parseInode(link.slice(8, -1));
        if (inode !== undefined) inodes.push(inode);
      }
    }
    return inodes;
  }

  /**
   * One read of tcp, tcp6 and nf_conntrack per namespace, from the first of its processes that can still be read
   * (`recheck`: the sockets alone, again, uncounted).
   * `conntrack` is undefined where the namespace has no table (no conntrack module: the usual case).
   */
  private readNamespaceSockets(
    ns: string,
    pids: number[],
    fail: (k: ProbeErrorKind, what: string, e?: unknown) => void,
    recheck = false,
  ): { sockets: TcpSocket[]; conntrack?: ConntrackEntry[] } {
    const keep = (s: number): boolean => s === TCP_ESTABLISHED || s === TCP_LISTEN;
    const viaNetlink = this.diag && !this.diagRefused.has(ns) ? this.dumpNamespace(this.diag, ns, pids) : undefined;
    if (viaNetlink) {
      if (recheck) return { sockets: viaNetlink.sockets };
      this.reads.netlink++;
      return {
        sockets: viaNetlink.sockets,
        conntrack: this.readConntrack(ns, `${this.opts.root}/${viaNetlink.pid}/net`, fail),
      };
    }
    if (!recheck) this.reads.procfs++;
    for (const pid of pids) {
      const dir = `${this.opts.root}/${pid}/net`;
      try {
        const v4 = parseNetTcpBytes(readProcBytes(`${dir}/tcp`), 'ipv4', keep);
        let v6 = { sockets: [] as TcpSocket[], malformed: 0 };
        try {
          if (mayHoldTcp6(dir)) v6 = parseNetTcpBytes(readProcBytes(`${dir}/tcp6`), 'ipv6', keep);
        } catch (e) {
          // no tcp6 in a kernel without IPv6: only tcp; but a process that exited between the two reads has taken
          // its tables with it, and the next process of the namespace is read instead (not tcp alone)
          if (errorKind(e) !== 'vanished' || !existsSync(`${this.opts.root}/${pid}/stat`)) throw e;
        }
        for (let i = 0; i < v4.malformed + v6.malformed; i++) fail('malformed', `${dir}/tcp: unparsable line`);
        const sockets = v4.sockets.concat(v6.sockets);
        return { sockets, conntrack: recheck ? undefined : this.readConntrack(ns, dir, fail) };
      } catch (e) {
        const kind = errorKind(e);
        if (kind !== 'vanished') fail(kind, `${dir}/tcp`, e);
      }
    }
    return { sockets: [] };
  }

  /**
   * The namespace's established and listening sockets through netlink, entered through one of its processes' ns/net
   * link (the one that worked last time first: a non-root exporter can open only its own user's). undefined when
   * netlink is refused there: not an error, the text tables are read instead, and from then on for this namespace.
   */
  private dumpNamespace(diag: SockDiag, ns: string, pids: number[]): { sockets: TcpSocket[]; pid: number } | undefined {
    // the one that worked last time, else this process itself when procfs is this host's own (a non-root exporter
    // can open only its own user's ns links)
    let first = this.diagPid.get(ns);
    if (first === undefined && this.opts.root === '/proc') first = process.pid;
    const order = first !== undefined && pids.includes(first) ? [first, ...pids.filter((p) => p !== first)] : pids;
    let denied = 0;
    for (const pid of order) {
      const dir = `${this.opts.root}/${pid}`;
      try {
        const families = mayHoldTcp6(`${dir}/net`) ? FAMILY_V4 | FAMILY_V6 : FAMILY_V4;
        const counters = readTcpCounters(`${dir}/net/snmp`);
        const last = this.lastDump.get(ns);
        const nsPath = `${dir}/ns/net`;
        // the counters have not moved since the last dump: its established sockets are still the ones there, and
        // only the listeners are dumped (a short list; the established ones walk the whole socket hash table)
        let records: Buffer | undefined;
        if (
          last &&
          counters !== undefined &&
          counters === last.counters &&
          families === last.families &&
          last.settled
        ) {
          if (diag.dump(nsPath, 1 << TCP_LISTEN, families).equals(last.listening)) records = last.records;
        }
        records ??= diag.dump(nsPath, DIAG_STATES, families);
        // an unchanged table (the usual case at one probe a second) is the same array as last time: nothing to
        // parse or allocate, and buildTopology can tell it has not changed
        let sockets: TcpSocket[];
        if (last && (last.records === records || last.records.equals(records))) {
          sockets = last.sockets;
          this.lastDump.set(ns, { ...last, counters, families });
        } else {
          sockets = parseDiagRecords(records);
          this.lastDump.set(ns, { records, sockets, counters, families, ...listenersOf(records) });
        }
        this.diagPid.set(ns, pid);
        return { sockets, pid };
      } catch (e) {
        const { code, step, message } = e as { code?: string; step?: string; message?: string };
        // gone since it was listed: the next process of the namespace
        if (step === 'open' && (code === 'ENOENT' || code === 'ESRCH') && !existsSync(`${dir}/stat`)) continue;
        // another user's process (not root): a few more, then the text tables
        if (step === 'open' && (code === 'EACCES' || code === 'EPERM') && ++denied < MAX_NS_DENIED) continue;
        this.diagRefused.add(ns);
        this.diagPid.delete(ns);
        this.diagProblem = `netlink sock_diag refused in ${ns}: ${message ?? String(e)}`;
        return undefined;
      }
    }
    return undefined;
  }

  /**
   * The established TCP entries of `<dir>/nf_conntrack`; undefined when there is no such table (not an error: the
   * usual case). A namespace (`ns`, '' for procfs' own) found without one is looked at again CONNTRACK_RECHECK_MS
   * later, not every walk: the failed open was a tenth of a steady walk.
   */
  private readConntrack(
    ns: string,
    dir: string,
    fail: (k: ProbeErrorKind, what: string, e?: unknown) => void,
    now = performance.now(),
  ): ConntrackEntry[] | undefined {
    const absent = this.noConntrack.get(ns);
    if (absent !== undefined && now - absent < CONNTRACK_RECHECK_MS) return undefined;
    let text: string;
    try {
      text = readFileSync(`${dir}/nf_conntrack`, 'latin1');
      this.noConntrack.delete(ns);
    } catch (e) {
      const kind = errorKind(e);
      if (kind !== 'vanished') fail(kind, `${dir}/nf_conntrack`, e);
      // gone with its process is not absent: the namespace is read through another next time
      else if (existsSync(dir)) this.noConntrack.set(ns, now);
      return undefined;
    }
    const parsed = parseConntrack(text);
    for (let i = 0; i < parsed.malformed; i++) fail('malformed', `${dir}/nf_conntrack: unparsable line`);
    return parsed.entries;
  }
}

function readTcpCounters(path: string): string | undefined {
  try {
    return tcpCounters(readProcText(path, 'latin1'));
  } catch {
    return undefined; // not readable: the table is dumped every walk
  }
}

function sameInodes(a: readonly SocketInode[], b: readonly SocketInode[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Whether the comm in `<dir>/stat` is valid UTF-8, from its bytes (read again only when its text holds U+FFFD,
 * which is either a decoded invalid byte or a genuine U+FFFD; only the first is malformed).
 */
function commIsUtf8(dir: string): boolean {
  try {
    const bytes = readFileSync(`${dir}/stat`);
    return isUtf8(bytes.subarray(bytes.indexOf('(') + 1, bytes.lastIndexOf(')')));
  } catch {
    return true; // gone meanwhile: nothing to count
  }
}
