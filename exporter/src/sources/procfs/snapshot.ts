// What one walk of /proc found: plain data, so it crosses from the worker thread by structured clone.
import type { ProbeErrorKind } from '../../runtime/sourceHealth';
import type { ContainerRuntime } from './cgroup';
import type { ConntrackEntry } from './conntrack';
import type { SocketInode } from './procNetTcp';
import type { TcpSocket } from './procNetTcp';

export interface ProcRecord {
  pid: number;
  ppid: number;
  /** comm (or the title a program set), label-safe */
  name: string;
  /** bounded, label-safe; "" for processes whose command line is hidden or empty */
  cmdline: string;
  uid: number;
  user: string;
  /** seconds since the epoch */
  startTime: number;
  cpuSeconds: number;
  rssBytes: number;
  containerId?: string;
  runtime?: ContainerRuntime;
  /** `net:[4026531840]`, or "" when unreadable */
  netns: string;
  /** socket inodes among its open files */
  inodes: SocketInode[];
}

export interface ProcSnapshot {
  processes: ProcRecord[];
  /** established and listening sockets of each network namespace */
  sockets: Record<string, TcpSocket[]>;
  /** translated (DNAT) established TCP entries of the namespaces' conntrack tables; [] where there are none */
  conntrack: ConntrackEntry[];
  errors: Record<ProbeErrorKind, number>;
  /** a few examples of what went wrong, for the log */
  problems: string[];
  /** wall and CPU time of the walk, seconds */
  wallSeconds: number;
  cpuSeconds: number;
}
