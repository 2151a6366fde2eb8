// /proc/<pid>/stat: "pid (comm) state ppid ...". comm may hold spaces and parentheses, so the fields are read after
// the LAST ')'. Field numbers below are those of proc(5).
export interface ProcStat {
  pid: number;
  name: string;
  state: string;
  ppid: number;
  flags: number;
  utimeTicks: number;
  stimeTicks: number;
  startTicks: number;
  rssPages: number;
}

export class MalformedError extends Error {}

const PID = /^[1-9][0-9]{0,9}$/;

/** A /proc entry's pid: canonical decimal only (`011124` and `11124.0` are folders, not pid 11124). */
export function parsePid(entry: string): number | undefined {
  return PID.test(entry) ? Number(entry) : undefined;
}

/** PF_KTHREAD in the flags field: kernel threads are not topology. */
export const PF_KTHREAD = 0x00200000;

function num(fields: string[], field: number, what: string): number {
  const v = Number(fields[field - 3]);
  if (fields[field - 3] === undefined || !Number.isFinite(v)) throw new MalformedError(`stat: bad ${what}`);
  return v;
}

export function parseStat(text: string): ProcStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new MalformedError('stat: no "(comm)"');
  const pid = Number(text.slice(0, open).trim());
  if (!Number.isInteger(pid) || pid <= 0) throw new MalformedError('stat: bad pid');
  // the fields up to rss (24) are all that is read: the limit spares splitting the other thirty
  const fields = text
    .slice(close + 1)
    .trim()
    .split(' ', 22);
  if (fields.length < 22) throw new MalformedError('stat: truncated line');
  return {
    pid,
    name: text.slice(open + 1, close),
    state: fields[0],
    ppid: num(fields, 4, 'ppid'),
    flags: num(fields, 9, 'flags'),
    utimeTicks: num(fields, 14, 'utime'),
    stimeTicks: num(fields, 15, 'stime'),
    startTicks: num(fields, 22, 'starttime'),
    rssPages: num(fields, 24, 'rss'),
  };
}

/** `btime` of /proc/stat: boot time in seconds since the epoch. */
export function parseBootTime(procStat: string): number {
  const m = /^btime (\d+)$/m.exec(procStat);
  if (!m) throw new MalformedError('/proc/stat: no btime');
  return Number(m[1]);
}
