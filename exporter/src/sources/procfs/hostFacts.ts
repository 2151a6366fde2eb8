// Facts about the host that are not in the walk: kernel, OS name, addresses, user names, page size.
import { existsSync, readFileSync } from 'node:fs';
import { networkInterfaces, release, type } from 'node:os';
import { dirname, join } from 'node:path';
import type { HostFacts } from './model/buildTopology';
import { labelText } from '../../runtime/labelText';

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The host's root folder seen from here: `/` for `/proc`, `/host` for `/host/proc`. */
export function hostRoot(procfs: string): string {
  return dirname(procfs.replace(/\/+$/, '')) || '/';
}

export function osName(root: string): string {
  const text = read(join(root, 'etc/os-release')) ?? read('/etc/os-release') ?? '';
  const m = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text);
  return labelText(m ? m[1] : type());
}

export function hostAddresses(): string[] {
  const out = new Set<string>();
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (!a.internal) out.add(a.address);
  }
  return [...out].sort();
}

export function readHostFacts(procfs: string, hostname: string): HostFacts {
  const kernel = read(join(procfs, 'sys/kernel/osrelease'))?.trim() ?? release();
  return { hostname, kernel: labelText(kernel), os: osName(hostRoot(procfs)), addresses: hostAddresses() };
}

export function readPasswd(procfs: string): string {
  const hostPasswd = join(hostRoot(procfs), 'etc/passwd');
  return (existsSync(hostPasswd) ? read(hostPasswd) : undefined) ?? read('/etc/passwd') ?? '';
}

/** The kernel's page size, from this process's resident set in kB (status) and in pages (statm). */
export function pageSize(): number {
  const status = read('/proc/self/status') ?? '';
  const statm = read('/proc/self/statm') ?? '';
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
  const pages = Number(statm.split(' ')[1]);
  if (!(kb > 0 && pages > 0)) return 4096;
  const guess = (kb * 1024) / pages;
  for (const size of [4096, 16384, 65536]) if (guess < size * 1.5) return size;
  return 65536;
}
