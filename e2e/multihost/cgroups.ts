// Container cgroups for the test's services, as a kubelet with containerd would make them: one folder
// `cri-containerd-<64 hex>.scope` per container under a folder of the run (`timescope-e2e-<tag>`). Works on the cgroup
// v2 (unified) hierarchy and on the v1 `pids` hierarchy, whichever the machine has; TIMESCOPE_E2E_CGROUP=v1|v2 picks
// one on a hybrid machine that has both.
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

/** The hierarchy to put containers in, or why there is none. */
export function findCgroupHierarchy(prefer = process.env.TIMESCOPE_E2E_CGROUP): CgroupHierarchy | string {
  const all = mounts();
  const v2 = all.find((m) => m.type === 'cgroup2');
  const v1 = all.find((m) => m.type === 'cgroup' && m.options.includes('pids'));
  const found: Record<string, CgroupHierarchy | undefined> = {
    v2: v2 && { version: 2, mount: v2.point },
    v1: v1 && { version: 1, mount: v1.point },
  };
  if (prefer === 'v1' || prefer === 'v2') return found[prefer] ?? `TIMESCOPE_E2E_CGROUP=${prefer}: not mounted`;
  // A pure v2 machine has only the unified hierarchy; a hybrid one keeps its processes in the v1 ones.
  const hierarchy = v1 && v2?.point !== '/sys/fs/cgroup' ? found.v1 : (found.v2 ?? found.v1);
  return hierarchy ?? 'no cgroup v2 hierarchy and no cgroup v1 pids controller mounted';
}

/** Why no cgroup can be made and a process moved into it here, or undefined when it can. */
export function cgroupUnavailable(h: CgroupHierarchy, tag: string): string | undefined {
  const dir = join(h.mount, `timescope-e2e-${tag}`, 'probe');
  try {
    mkdirSync(dir, { recursive: true });
    // a short-lived shell moves itself in: cgroup.procs is writable
    execFileSync('sh', ['-c', 'echo $$ > "$1"', 'sh', join(dir, 'cgroup.procs')], { stdio: 'pipe', timeout: 10_000 });
    return undefined;
  } catch (e) {
    return `cannot use cgroup v${h.version} at ${h.mount}: ${(e as Error).message}`;
  } finally {
    removeCgroups(h, tag);
  }
}

const runFolder = (h: CgroupHierarchy, tag: string): string => join(h.mount, `timescope-e2e-${tag}`);

/** Moves `pid` into the container cgroup of `containerId` (64 hex). */
export function placeInContainer(h: CgroupHierarchy, tag: string, containerId: string, pid: number): void {
  const dir = join(runFolder(h, tag), `cri-containerd-${containerId}.scope`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cgroup.procs'), String(pid));
}

/** Removes the run's cgroups; true when they are gone (a cgroup is busy until its processes have exited). */
export function removeCgroups(h: CgroupHierarchy, tag: string): boolean {
  const remove = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) remove(join(dir, e.name));
    try {
      rmdirSync(dir);
    } catch {
      // still busy
    }
  };
  const dir = runFolder(h, tag);
  remove(dir);
  return !existsSync(dir);
}

/** Tags of the run folders in the hierarchy (for removing those of killed runs). */
export function cgroupTags(h: CgroupHierarchy): string[] {
  try {
    return readdirSync(h.mount)
      .map((n) => /^timescope-e2e-(\d+p?)$/.exec(n)?.[1])
      .filter((t): t is string => t !== undefined);
  } catch {
    return [];
  }
}
