// Container cgroups as a kubelet with containerd makes them: one folder `cri-containerd-<64 hex>.scope` per
// container, here under a folder of the caller's (the demo's `timescope-demo-<pid>`, a test run's own), so that the
// exporter finds the container a process runs in the way it does on a real node (/proc/<pid>/cgroup). Works on the
// cgroup v2 (unified) hierarchy and on the v1 `pids` hierarchy, whichever the machine has. Needs root (or a
// delegated hierarchy); `cgroupUnavailable` says why not before anything relies on it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CgroupHierarchy {
  version: 1 | 2;
  /** mount point of the hierarchy */
  mount: string;
}

function mounts(): { point: string; type: string; options: string[] }[] {
  return readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' '))
    .filter((f) => f.length >= 4)
    .map((f) => ({ point: f[1], type: f[2], options: f[3].split(',') }));
}

/** The hierarchy to put containers in (`prefer` v1 or v2 picks one on a hybrid machine), or why there is none. */
export function findCgroupHierarchy(prefer?: string): CgroupHierarchy | string {
  if (process.platform !== 'linux') return 'not Linux';
  const all = mounts();
  const v2 = all.find((m) => m.type === 'cgroup2');
  const v1 = all.find((m) => m.type === 'cgroup' && m.options.includes('pids'));
  const found: Record<string, CgroupHierarchy | undefined> = {
    v2: v2 && { version: 2, mount: v2.point },
    v1: v1 && { version: 1, mount: v1.point },
  };
  if (prefer === 'v1' || prefer === 'v2') return found[prefer] ?? `cgroup ${prefer} is not mounted`;
  // A pure v2 machine has only the unified hierarchy; a hybrid one keeps its processes in the v1 ones.
  const hierarchy = v1 && v2?.point !== '/sys/fs/cgroup' ? found.v1 : (found.v2 ?? found.v1);
  return hierarchy ?? 'no cgroup v2 hierarchy and no cgroup v1 pids controller mounted';
}

/** Why no cgroup can be made under `folder` and a process moved into it here, or undefined when it can. */
export function cgroupUnavailable(h: CgroupHierarchy, folder: string): string | undefined {
  const dir = join(h.mount, folder, 'probe');
  try {
    mkdirSync(dir, { recursive: true });
    // a short-lived shell moves itself in: cgroup.procs is writable
    execFileSync('sh', ['-c', 'echo $$ > "$1"', 'sh', join(dir, 'cgroup.procs')], { stdio: 'pipe', timeout: 10_000 });
    return undefined;
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
    const why = err.code ?? (err.stderr?.toString().trim() || err.message);
    return `cannot use cgroup v${h.version} at ${h.mount} (${why})`;
  } finally {
    removeCgroups(h, folder);
  }
}

/** The folder of container `containerId` (64 hex), made when missing; a process writes its pid to cgroup.procs. */
export function containerCgroup(h: CgroupHierarchy, folder: string, containerId: string): string {
  if (!/^[0-9a-f]{64}$/.test(containerId)) throw new Error(`container id: want 64 hex digits, got ${containerId}`);
  const dir = join(h.mount, folder, `cri-containerd-${containerId}.scope`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Moves `pid` into the container cgroup of `containerId` (64 hex). */
export function placeInContainer(h: CgroupHierarchy, folder: string, containerId: string, pid: number): void {
  writeFileSync(join(containerCgroup(h, folder, containerId), 'cgroup.procs'), String(pid));
}

/** Removes the container cgroup of `containerId` when no process is left in it; true when it is gone. */
export function removeContainerCgroup(h: CgroupHierarchy, folder: string, containerId: string): boolean {
  const dir = join(h.mount, folder, `cri-containerd-${containerId}.scope`);
  try {
    rmdirSync(dir);
  } catch {
    // still busy, or gone
  }
  return !existsSync(dir);
}

/** Removes `folder` and the cgroups in it; true when they are gone (a cgroup is busy until its processes exit). */
export function removeCgroups(h: CgroupHierarchy, folder: string): boolean {
  const remove = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) remove(join(dir, e.name));
    try {
      rmdirSync(dir);
    } catch {
      // still busy
    }
  };
  const dir = join(h.mount, folder);
  remove(dir);
  return !existsSync(dir);
}

/** The folders at the top of the hierarchy whose names match `pattern` (to remove those of killed runs). */
export function cgroupFolders(h: CgroupHierarchy, pattern: RegExp): string[] {
  try {
    return readdirSync(h.mount).filter((n) => pattern.test(n));
  } catch {
    return [];
  }
}
