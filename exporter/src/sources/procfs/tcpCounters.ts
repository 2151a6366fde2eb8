// Whether a namespace's established TCP sockets may have changed, from its TCP counters (the Tcp lines of
// /proc/<pid>/net/snmp, one short read) instead of a dump of the whole socket table. Every socket that becomes
// established was opened by connect() (ActiveOpens) or by a listener (PassiveOpens), and every one that leaves the
// state lowers CurrEstab: when none of the three moved, the set of established sockets is the one of the last dump.
// (An accepted socket's inode is set by accept(), which moves no counter: the walk dumps again while its last dump
// held a socket without an inode.)

/** ActiveOpens, PassiveOpens and CurrEstab as one comparable text; undefined when the file has no such lines. */
export function tcpCounters(snmp: string): string | undefined {
  const head = snmp.indexOf('\nTcp: ');
  const start = head >= 0 ? head + 1 : snmp.startsWith('Tcp: ') ? 0 : -1;
  if (start < 0) return undefined;
  const names = lineAt(snmp, start);
  const values = lineAt(snmp, start + names.length + 1);
  if (!values.startsWith('Tcp: ')) return undefined;
  const n = names.split(' ');
  const v = values.split(' ');
  const out: string[] = [];
  for (const name of ['ActiveOpens', 'PassiveOpens', 'CurrEstab']) {
    const i = n.indexOf(name);
    if (i < 0 || v[i] === undefined || !/^\d+$/.test(v[i])) return undefined;
    out.push(v[i]);
  }
  return out.join(' ');
}

function lineAt(text: string, at: number): string {
  const end = text.indexOf('\n', at);
  return text.slice(at, end < 0 ? text.length : end);
}
