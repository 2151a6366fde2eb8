import type { DeployMarker } from './deploys';
import { clusterMarkers } from './markerClusters';

const m = (time: number, title = `d${time}`): DeployMarker => ({ time, title, text: '', workload: '', revision: '' });

describe('clusterMarkers', () => {
  it('puts markers on the same pixels into one cluster with all of them, in time order', () => {
    // 1,000 px for 1,000 s: one pixel per second; 14 deploys within 5 s become one marker
    const burst = Array.from({ length: 14 }, (_, i) => m(100_000 + i * 300));
    const clusters = clusterMarkers([...burst, m(500_000)], 0, 1_000_000, 1000);
    expect(clusters.map((c) => c.markers.length)).toEqual([14, 1]);
    expect(clusters[0].markers).toEqual(burst);
    expect(clusters[0].x).toBeCloseTo(100);
    expect(clusters[1].x).toBeCloseTo(500);
  });

  it('keeps markers far enough apart separate, and leaves out those outside the range', () => {
    const clusters = clusterMarkers([m(-5), m(10_000), m(30_000), m(2_000_000)], 0, 1_000_000, 1000);
    expect(clusters.map((c) => c.markers.map((x) => x.time))).toEqual([[10_000], [30_000]]);
  });

  it('the gap is counted from the first marker of a cluster, so a long chain does not become one', () => {
    const chain = [0, 6, 12, 18, 24].map((x) => m(x * 1000));
    expect(clusterMarkers(chain, 0, 1_000_000, 1000, 10).map((c) => c.markers.length)).toEqual([2, 2, 1]);
  });

  it('a narrower strip merges more', () => {
    const list = [m(0), m(50_000), m(100_000)];
    expect(clusterMarkers(list, 0, 1_000_000, 1000)).toHaveLength(3);
    expect(clusterMarkers(list, 0, 1_000_000, 50)).toHaveLength(1);
  });
});
