// How many nodes were present along the range: the small curve drawn on the timeline strip. Bucket i counts the
// nodes presenceAt shows at the bucket's last instant, so the curve's end is the node count Live draws.
import type { Graph } from './graph';

/** The instant each bucket is counted at: its end (the last one is `to` itself). */
export function bucketInstants(from: number, to: number, buckets: number): Float64Array {
  const span = Math.max(1, to - from);
  return Float64Array.from({ length: buckets }, (_, i) => (i === buckets - 1 ? to : from + ((i + 1) * span) / buckets));
}

/** First index of `times` (ascending) whose value passes `ok` (monotone: false then true); times.length if none. */
function firstWhere(times: Float64Array, ok: (t: number) => boolean): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ok(times[mid])) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function presenceCurve(graph: Graph, from: number, to: number, buckets: number): number[] {
  const times = bucketInstants(from, to, buckets);
  const counts = new Float64Array(buckets + 1);
  // a node is counted at t when start <= t and t is before `until` (or at it, when inclusive)
  const add = (start: number, until: number, inclusive: boolean) => {
    const i0 = firstWhere(times, (t) => t >= start);
    const i1 = firstWhere(times, (t) => (inclusive ? t > until : t >= until));
    if (i1 <= i0) return;
    counts[i0] += 1;
    counts[i1] -= 1;
  };
  const tl = graph.timeline;
  if (tl && tl.nodes.size > 0) {
    // The panel snaps an instant down to the timeline's step (presenceAt), so an interval whose last sample is
    // `end` is drawn until the next sample: counting it only up to `end` made the curve drop to zero over the
    // last step of every range, where the instant falls between the last sample and the range's end.
    const step = Math.max(0, tl.meta.stepMs);
    for (const list of tl.nodes.values()) {
      for (const iv of list) {
        if (step > 0) add(iv.start, iv.end + step, false);
        else add(iv.start, iv.end, true);
      }
    }
  } else {
    for (const n of graph.nodes) add(n.firstSeen ?? -Infinity, n.lastSeen ?? Infinity, true);
  }
  const out: number[] = [];
  let run = 0;
  for (let i = 0; i < buckets; i++) {
    run += counts[i];
    out.push(run);
  }
  return out;
}
