// The multi-host test's container cgroups: those of common/standins/containerCgroups.ts, in one folder per run
// (`timescope-e2e-<tag>`). TIMESCOPE_E2E_CGROUP=v1|v2 picks the hierarchy on a hybrid machine that has both.
import {
  cgroupFolders,
  cgroupUnavailable as unavailableIn,
  findCgroupHierarchy as find,
  placeInContainer as placeIn,
  removeCgroups as removeIn,
  type CgroupHierarchy,
} from '@timescope/common/standins';

export type { CgroupHierarchy };

const runFolder = (tag: string): string => `timescope-e2e-${tag}`;

export function findCgroupHierarchy(prefer = process.env.TIMESCOPE_E2E_CGROUP): CgroupHierarchy | string {
  return find(prefer);
}

export function cgroupUnavailable(h: CgroupHierarchy, tag: string): string | undefined {
  return unavailableIn(h, runFolder(tag));
}

/** Moves `pid` into the container cgroup of `containerId` (64 hex). */
export function placeInContainer(h: CgroupHierarchy, tag: string, containerId: string, pid: number): void {
  placeIn(h, runFolder(tag), containerId, pid);
}

/** Removes the run's cgroups; true when they are gone. */
export function removeCgroups(h: CgroupHierarchy, tag: string): boolean {
  return removeIn(h, runFolder(tag));
}

/** Tags of the run folders in the hierarchy (for removing those of killed runs). */
export function cgroupTags(h: CgroupHierarchy): string[] {
  return cgroupFolders(h, /^timescope-e2e-\d+p?$/).map((n) => n.slice('timescope-e2e-'.length));
}
