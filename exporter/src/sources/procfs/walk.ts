// The synchronous walk of /proc (run inside a worker thread: synchronous reads are about twice as fast as
// fs.promises here, and the worker keeps the walk off the event loop that serves scrapes).
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { errorKind, type ProbeErrorKind } from '../../runtime/sourceHealth';
import { labelText, MAX_CMDLINE_LENGTH } from '../../runtime/labelText';
import { containerFromCgroup, type ContainerRef } from './cgroup';
import { parseConntrack, type ConntrackEntry } from './conntrack';
import { translatedEntries } from './natConnections';
import { parseNetTcp, TCP_ESTABLISHED, TCP_LISTEN, type TcpSocket } from './procNetTcp';
import { MalformedError, parseBootTime, parseStat, PF_KTHREAD } from './procStat';
import type { ProcRecord, ProcSnapshot } from './snapshot';

export interface WalkOptions {
  /** the procfs mount, `/proc` or a host's `/host/proc` */
  root: string;
  /** /etc/passwd text for user names (uids are shown as numbers without it) */
  passwd?: string;
  clockTicks?: number;
  pageSize?: number;
}

/** What stays the same for the life of a process: read once per (pid, start time). */
interface Stable {
  startTicks: number;
  name: string;
  cmdline: string;
  uid: number;
  container?: ContainerRef;
}

const MAX_PROBLEMS = 10;

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

  constructor(private readonly opts: WalkOptions) {
    this.users = parsePasswd(opts.passwd ?? '');
  }

  walk(): ProcSnapshot {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const errors: Record<ProbeErrorKind, number> = { vanished: 0, permission: 0, malformed: 0, io: 0 };
    const problems: string[] = [];
    const fail = (kind: ProbeErrorKind, what: string, e?: unknown): void => {
      errors[kind]++;
      if (problems.length < MAX_PROBLEMS) problems.push(`${kind}: ${what}${e ? `: ${(e as Error).message}` : ''}`);
    };
    const root = this.opts.root;
    // Without /proc itself there is nothing to serve: let the caller mark the cycle failed.
    const entries = readdirSync(root);
    this.bootTime ??= parseBootTime(readFileSync(`${root}/stat`, 'latin1'));

    const processes: ProcRecord[] = [];
    const seen = new Set<number>();
    const nsPids = new Map<string, number[]>();
    for (const entry of entries) {
      const c = entry.charCodeAt(0);
      if (c < 48 || c > 57) continue;
      const pid = Number(entry);
      if (!Number.isInteger(pid)) continue;
      const rec = this.readProcess(pid, fail);
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

    const sockets: Record<string, TcpSocket[]> = {};
    const tracked: ConntrackEntry[] = [];
    let tables = 0;
    for (const [ns, pids] of nsPids) {
      const read = this.readNamespaceSockets(pids, fail);
      sockets[ns] = read.sockets;
      if (read.conntrack) {
        tables++;
        for (const e of read.conntrack) tracked.push(e);
      }
    }
    // no namespace could be read through a pid: the table of the namespace procfs was mounted from, if any
    if (tables === 0) for (const e of this.readConntrack(`${root}/net`, fail) ?? []) tracked.push(e);

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

  private readProcess(
    pid: number,
    fail: (k: ProbeErrorKind, what: string, e?: unknown) => void,
  ): ProcRecord | undefined {
    const dir = `${this.opts.root}/${pid}`;
    let stat;
    try {
      stat = parseStat(readFileSync(`${dir}/stat`, 'utf8'));
    } catch (e) {
      if (e instanceof MalformedError) fail('malformed', `${dir}/stat`, e);
      else fail(errorKind(e), `${dir}/stat`, e);
      return undefined;
    }
    // The flag, not pid 2: inside a pid namespace (a container, a netns test host) pid 2 is an ordinary process.
    if ((stat.flags & PF_KTHREAD) !== 0) return undefined;
    const stable = this.readStable(pid, dir, stat.startTicks, stat.name, fail);
    if (!stable) return undefined;
    let netns = '';
    try {
      netns = readlinkSync(`${dir}/ns/net`);
    } catch (e) {
      const kind = errorKind(e);
      fail(kind, `${dir}/ns/net`, e);
      if (kind === 'vanished') return undefined;
    }
    const inodes = this.readSocketInodes(dir, fail);
    if (inodes === undefined) return undefined;
    const ticks = this.opts.clockTicks ?? 100;
    return {
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
  }

  private readStable(
    pid: number,
    dir: string,
    startTicks: number,
    rawName: string,
    fail: (k: ProbeErrorKind, what: string, e?: unknown) => void,
  ): Stable | undefined {
    const name = labelText(rawName);
    if (name !== rawName) fail('malformed', `${dir}/stat: name with control characters or invalid UTF-8`);
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
    const cmdline = this.readOptional(`${dir}/cmdline`, fail);
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

  private readOptional(path: string, fail: (k: ProbeErrorKind, what: string, e?: unknown) => void): string {
    try {
      return readFileSync(path, 'utf8');
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
  ): number[] | undefined {
    let fds: string[];
    try {
      fds = readdirSync(`${dir}/fd`);
    } catch (e) {
      const kind = errorKind(e);
      fail(kind, `${dir}/fd`, e);
      return kind === 'vanished' ? undefined : [];
    }
    const inodes: number[] = [];
    for (const fd of fds) {
      let link: string;
      try {
        link = readlinkSync(`${dir}/fd/${fd}`);
      } catch {
        continue; // closed between readdir and readlink: normal churn, not an error
      }
      if (link.startsWith('socket:[')) {
        const inode = Number(link.slice(8, -1));
        if (Number.isInteger(inode)) inodes.push(inode);
      }
    }
    return inodes;
  }

  /**
   * One read of tcp, tcp6 and nf_conntrack per namespace, from the first of its processes that can still be read.
   * `conntrack` is undefined where the namespace has no table (no conntrack module: the usual case).
   */
  private readNamespaceSockets(
    pids: number[],
    fail: (k: ProbeErrorKind, what: string, e?: unknown) => void,
  ): { sockets: TcpSocket[]; conntrack?: ConntrackEntry[] } {
    const keep = (s: number): boolean => s === TCP_ESTABLISHED || s === TCP_LISTEN;
    for (const pid of pids) {
      const dir = `${this.opts.root}/${pid}/net`;
      try {
        const v4 = parseNetTcp(readFileSync(`${dir}/tcp`, 'latin1'), 'ipv4', keep);
        let v6 = { sockets: [] as TcpSocket[], malformed: 0 };
        try {
          v6 = parseNetTcp(readFileSync(`${dir}/tcp6`, 'latin1'), 'ipv6', keep);
        } catch (e) {
          if (errorKind(e) !== 'vanished') throw e; // no IPv6 in this kernel: only tcp
        }
        for (let i = 0; i < v4.malformed + v6.malformed; i++) fail('malformed', `${dir}/tcp: unparsable line`);
        return { sockets: v4.sockets.concat(v6.sockets), conntrack: this.readConntrack(dir, fail) };
      } catch (e) {
        const kind = errorKind(e);
        if (kind !== 'vanished') fail(kind, `${dir}/tcp`, e);
      }
    }
    return { sockets: [] };
  }

  /** The established TCP entries of `<dir>/nf_conntrack`; undefined when there is no such table (not an error). */
  private readConntrack(
    dir: string,
    fail: (k: ProbeErrorKind, what: string, e?: unknown) => void,
  ): ConntrackEntry[] | undefined {
    let text: string;
    try {
      text = readFileSync(`${dir}/nf_conntrack`, 'latin1');
    } catch (e) {
      const kind = errorKind(e);
      if (kind !== 'vanished') fail(kind, `${dir}/nf_conntrack`, e);
      return undefined;
    }
    const parsed = parseConntrack(text);
    for (let i = 0; i < parsed.malformed; i++) fail('malformed', `${dir}/nf_conntrack: unparsable line`);
    return parsed.entries;
  }
}
