// How many nodes were present along the range: the small curve drawn on the timeline strip.
import type { Graph } from './graph';

export function presenceCurve(graph: Graph, from: number, to: number, buckets: number): number[] {
  const counts = new Float64Array(buckets + 1);
  const span = Math.max(1, to - from);
  const bucketOf = (t: number) => Math.min(buckets - 1, Math.max(0, Math.floor(((t - from) / span) * buckets)));
  const add = (start: number, end: number) => {
    if (end < from || start > to) return;
    counts[bucketOf(start)] += 1;
    counts[bucketOf(end) + 1] -= 1;
  };
  const tl = graph.timeline;
  if (tl && tl.nodes.size > 0) {
    for (const list of tl.nodes.values()) for (const iv of list) add(iv.start, iv.end);
  } else {
    for (const n of graph.nodes) add(n.firstSeen ?? from, n.lastSeen ?? to);
  }
  const out: number[] = [];
  let run = 0;
  for (let i = 0; i < buckets; i++) {
    run += counts[i];
    out.push(run);
  }
  return out;
}
