import { frame } from '../testutil/frame';
import { from, shopGraph, step, to } from '../testutil/shop';
import { graphFromFrames } from './frames';
import { presenceAt } from './presence';
import { bucketInstants, presenceCurve } from './presenceCurve';

describe('presenceCurve', () => {
  it('counts, for every bucket, the nodes the panel draws at that bucket’s instant', () => {
    const g = shopGraph();
    for (const end of [to, to + step / 2, to + step - 1]) {
      for (const buckets of [7, 10, 33]) {
        const curve = presenceCurve(g, from, end, buckets);
        const want = Array.from(bucketInstants(from, end, buckets), (t) => presenceAt(g, t).nodeCount);
        expect({ end, buckets, curve }).toEqual({ end, buckets, curve: want });
      }
    }
  });

  it('does not drop to zero at the end of the range when the last sample is before it', () => {
    // the shop's timeline ends at its last sample (`to`); the range goes on half a step later, as Live's does
    const g = shopGraph();
    const curve = presenceCurve(g, from, to + step / 2, 300);
    expect(curve[curve.length - 1]).toBe(presenceAt(g, to + step / 2).nodeCount);
    expect(curve[curve.length - 1]).toBe(2);
    expect(curve.slice(-30).every((c) => c === 2)).toBe(true);
  });

  it('uses firstSeen/lastSeen without a timeline, and counts nodes without either throughout', () => {
    const g = graphFromFrames([
      frame('nodes', {
        id: ['a', 'b', 'c'],
        title: ['a', 'b', 'c'],
        firstSeen: [0, 500, null],
        lastSeen: [999, 999, null],
      }),
    ]);
    const curve = presenceCurve(g, 0, 1000, 4);
    expect(curve).toEqual(Array.from(bucketInstants(0, 1000, 4), (t) => presenceAt(g, t).nodeCount));
  });
});
