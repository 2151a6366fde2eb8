// Deploy markers that would be drawn on the same pixels of the strip become one cluster: one marker with a count,
// so no marker hides another that could then not be clicked.
import type { DeployMarker } from './deploys';

export interface MarkerCluster {
  /** x of the cluster on the strip: the first marker's x */
  x: number;
  markers: DeployMarker[];
}

/**
 * Groups the markers inside [from, to] by their x on a strip `width` pixels wide: a marker closer than `minGap`
 * pixels to the first marker of the current cluster joins it. The markers come sorted by time (deployMarkers).
 */
export function clusterMarkers(
  markers: readonly DeployMarker[],
  from: number,
  to: number,
  width: number,
  minGap = 10,
): MarkerCluster[] {
  const span = Math.max(1, to - from);
  const out: MarkerCluster[] = [];
  for (const m of markers) {
    if (m.time < from || m.time > to) continue;
    const x = ((m.time - from) / span) * width;
    const last = out[out.length - 1];
    if (last && x - last.x < minGap) last.markers.push(m);
    else out.push({ x, markers: [m] });
  }
  return out;
}
