// Tests that run a process as another user (nobody) need that user to reach the repository's files. A checkout in
// a private folder (mktemp -d makes one with mode 0700) would stop it at the first folder it may not enter, so, as
// root, the test lets others search (o+x: enter, not list) the folders on the way for as long as it runs.
import { chmodSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Adds o+x to every folder from `path` up to `/` that lacks it; returns a function that puts the modes back. */
export function makeSearchable(path: string): () => void {
  const changed: { dir: string; mode: number }[] = [];
  for (let dir = path; ; dir = dirname(dir)) {
    const mode = statSync(dir).mode & 0o7777;
    if ((mode & 0o001) === 0) {
      chmodSync(dir, mode | 0o001);
      changed.push({ dir, mode });
    }
    if (dirname(dir) === dir) break;
  }
  return () => {
    for (const c of changed.reverse()) chmodSync(c.dir, c.mode);
  };
}
