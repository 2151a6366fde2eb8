// Edges of several sources merged on their ids: presence united, and the value at an instant the largest any
// source gives (two sources seeing the same connections must not double them; a presence-only source gives 1).
import { union } from '../timeline';
import type { EdgeRecord } from '../rollup';

export function mergeSources(
  each: readonly ReadonlyMap<string, EdgeRecord>[],
  stepMs: number,
): Map<string, EdgeRecord> {
  const out = new Map<string, EdgeRecord>();
  for (const edges of each) {
    for (const [id, r] of edges) {
      const cur = out.get(id);
      if (!cur) {
        out.set(id, { ...r, intervals: [...r.intervals], at: new Map(r.at) });
        continue;
      }
      cur.intervals = union(cur.intervals, r.intervals, stepMs);
      for (const [k, v] of r.at) cur.at.set(k, Math.max(cur.at.get(k) ?? 0, v));
    }
  }
  return out;
}
