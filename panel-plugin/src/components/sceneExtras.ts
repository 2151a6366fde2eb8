// What the browser tests read besides the drawn graph (render/sceneDescription): the crosshair preview, playback,
// the tooltip's text, the strip (curve, axis ticks, deploy markers and their counts), the deploy's focus and the
// empty-instant message. Merged into the same data-scene JSON.
import type { DeployFocus } from '../model/deployFocus';
import type { Graph } from '../model/graph';
import type { MarkerCluster } from '../model/markerClusters';
import type { Tick } from '../model/timeAxis';
import type { TooltipText } from '../model/tooltip';

export interface ExtrasInput {
  graph: Graph;
  preview: boolean;
  playing: boolean;
  tooltip: TooltipText | null;
  curve: number[];
  ticks: Tick[];
  clusters: MarkerCluster[];
  focus?: DeployFocus;
  empty: string | null;
}

export interface SceneExtras {
  /** Live, showing another panel's crosshair instant */
  preview: boolean;
  playing: boolean;
  tooltip: TooltipText | null;
  strip: {
    curve: number[];
    ticks: Tick[];
    /** one entry per marker drawn: how many deploys it stands for, and their times */
    markers: Array<{ count: number; times: number[] }>;
  };
  deploy: {
    deployed: string[];
    near: string[];
    changes: Array<{ entity: string; id: string; status: string; distance: number }>;
  } | null;
  /** the empty-instant message, when shown */
  empty: string | null;
}

export function describeExtras(x: ExtrasInput): SceneExtras {
  const ids = (list: number[]) => list.map((i) => x.graph.nodes[i].id);
  const f = x.focus;
  return {
    preview: x.preview,
    playing: x.playing,
    tooltip: x.tooltip,
    strip: {
      curve: x.curve,
      ticks: x.ticks,
      markers: x.clusters.map((c) => ({ count: c.markers.length, times: c.markers.map((m) => m.time) })),
    },
    deploy: f
      ? {
          deployed: ids(f.deployed),
          near: ids(Array.from(f.near.keys()).filter((i) => f.near[i])),
          changes: f.changes.map(({ entity, id, status, distance }) => ({ entity, id, status, distance })),
        }
      : null,
    empty: x.empty,
  };
}
