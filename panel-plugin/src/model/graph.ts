// The panel's model of the query result: nodes, edges and (optionally) when each was present.
// Built from any frames that follow Grafana's Node Graph contract; our extra fields are used when present.
import type { ChangeStatus, TimelineMeta } from '@timescope/common';

export interface GraphNode {
  id: string;
  title: string;
  subtitle: string;
  kind: string;
  parent: string;
  status: ChangeStatus;
  firstSeen?: number;
  lastSeen?: number;
  mainStat?: number | string;
  secondaryStat?: number | string;
  color?: string;
  /** detail__* fields without the prefix */
  details: Record<string, string>;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  kind: string;
  status: ChangeStatus;
  firstSeen?: number;
  lastSeen?: number;
  mainStat?: number | string;
  thickness?: number;
  color?: string;
  details: Record<string, string>;
}

/** Inclusive presence interval in ms, sampled at the timeline's step. */
export interface Interval {
  start: number;
  end: number;
}

export interface Timeline {
  meta: TimelineMeta;
  nodes: Map<string, Interval[]>;
  edges: Map<string, Interval[]>;
}

/** What the stats mean, from the fields' display names (e.g. "Connections"), for the tooltip and the legend. */
export interface StatNames {
  nodeMain?: string;
  nodeSecondary?: string;
  edgeMain?: string;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** index of each node id in `nodes` */
  index: Map<string, number>;
  timeline?: Timeline;
  statNames?: StatNames;
}
