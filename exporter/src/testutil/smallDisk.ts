// A small real filesystem for disk-full tests: a tmpfs of a few hundred KB mounted as root. Where mounting is not
// allowed (not root, no CAP_SYS_ADMIN), `mountSmallDisk` returns undefined and the caller skips with a message.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, unlinkSync, writeSync, openSync, closeSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SmallDisk {
  dir: string;
  /** fills every free byte with a filler file */
  fill(): void;
  /** frees about `bytes` of the filler (tmpfs counts whole pages) */
  free(bytes: number): void;
  /** removes the filler */
  empty(): void;
  unmount(): void;
}

export function mountSmallDisk(sizeKb: number): SmallDisk | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'timescope-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  const filler = join(dir, 'filler');
  return {
    dir,
    fill() {
      const fd = openSync(filler, 'a');
      const chunk = Buffer.alloc(4096, 1);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
      } finally {
        closeSync(fd);
      }
    },
    free(bytes) {
      truncateSync(filler, Math.max(0, statSync(filler).size - bytes));
    },
    empty() {
      try {
        unlinkSync(filler);
      } catch {
        // not there
      }
    },
    unmount() {
      execFileSync('umount', [dir], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
