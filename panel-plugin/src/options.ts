// The panel's options (the options editor in module.ts edits these).
import type { View } from '@timescope/common';
import type { LayoutAlgorithm } from '@timescope/common';
import type { Grouping } from './layout/groups';
import type { EdgeFigureOption } from './model/edgeFigures';
import { MAX_NODES } from './layout/limits';
import type { ColorBy, EdgeMetric } from './render/types';

export type Mode = 'live' | 'paused' | 'travel';
export type LabelMode = 'auto' | 'all' | 'none';
export type LegendMode = 'open' | 'closed' | 'hidden';
/** The names the view switch shows for the datasource's views (VIEWS in @timescope/common). */
export const VIEW_LABELS: Record<View, string> = {
  host: 'Hosts',
  process: 'Processes',
  container: 'Containers',
  pod: 'Pods',
  workload: 'Workloads',
  service: 'Services',
};

export interface PanelOptions {
  layout: LayoutAlgorithm;
  grouping: Grouping;
  labels: LabelMode;
  colorBy: ColorBy;
  edgeMetric: EdgeMetric;
  /** the L7 figure written on edges that have figures (Tempo / the OTel servicegraph, Hubble HTTP, Istio) */
  edgeFigure: EdgeFigureOption;
  /** an edge whose error ratio reaches this (0..1) at the instant is drawn red */
  errorThreshold: number;
  defaultMode: Mode;
  /** the legend over the graph's corner: open, closed to one line (the user opens it), or not shown */
  legend: LegendMode;
  /** move the instant with the crosshair of the dashboard's other panels (in Live, a preview while it is there) */
  followCrosshair: boolean;
  /** above this many nodes the panel shows a message instead of the graph */
  maxNodes: number;
  /** dashboard variable the view switch sets (our datasource's query reads it) */
  viewVariable: string;
  /** uid of the Prometheus datasource for the Explore links, '' for the default one */
  exploreDatasource: string;
}

export const defaultOptions: PanelOptions = {
  layout: 'layered',
  grouping: 'auto',
  labels: 'auto',
  colorBy: 'kind',
  edgeMetric: 'mainstat',
  edgeFigure: 'rate',
  errorThreshold: 0.05,
  defaultMode: 'live',
  legend: 'open',
  followCrosshair: false,
  maxNodes: MAX_NODES,
  viewVariable: 'view',
  exploreDatasource: '',
};

export function withDefaults(options: Partial<PanelOptions> | undefined): PanelOptions {
  return { ...defaultOptions, ...(options ?? {}) };
}
