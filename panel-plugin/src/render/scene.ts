// What the canvas draws: positions plus a style index per node and edge (computed when data, instant, diff,
// search or hover change, not on every pan frame).
import type { LayoutBox } from '@timescope/common';
import type { EdgeLabelFn } from './types';

export interface NodeStyle {
  fill: string;
  stroke: string;
  dashed: boolean;
  alpha: number;
  /** ring width in screen pixels */
  ring: number;
}

export interface EdgeStyle {
  color: string;
  /** screen pixels */
  width: number;
  dashed: boolean;
  alpha: number;
}

export interface RenderScene {
  x: Float64Array;
  y: Float64Array;
  boxes: LayoutBox[];
  /** index into boxes of each node's group, -1 for none (semantic zoom draws a closed group as one node) */
  nodeBox?: Int32Array;
  /** node and edge ids, for the scene description of what is drawn */
  nodeIds: string[];
  edgeIds: string[];
  labels: string[];
  /** node indices, most important first: labels are drawn in this order until space runs out */
  priority: Int32Array;
  /** style of each node, -1 when not drawn */
  nodeStyle: Int16Array;
  nodeStyles: NodeStyle[];
  /** DiffState of each node (unchanged without a baseline, none when not drawn) */
  nodeState: Uint8Array;
  edgeSource: Int32Array;
  edgeTarget: Int32Array;
  /** style of each edge, -1 when not drawn */
  edgeStyle: Int16Array;
  edgeStyles: EdgeStyle[];
  /** the text on edge i when edge labels are shown */
  edgeLabel: EdgeLabelFn;
  /** edge indices in the order their labels take the space */
  edgeOrder: Int32Array;
  /** label colour */
  text: string;
  /** drawn around label text (the panel's background), when given */
  halo?: string;
  /** group box colour */
  box: string;
}

export interface View {
  scale: number;
  tx: number;
  ty: number;
}

export const NODE_RADIUS = 14;

/** The view that fits every node of the layout into a width x height viewport. */
export function fitView(x: Float64Array, y: Float64Array, boxes: LayoutBox[], width: number, height: number): View {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < x.length; i++) {
    minX = Math.min(minX, x[i]);
    maxX = Math.max(maxX, x[i]);
    minY = Math.min(minY, y[i]);
    maxY = Math.max(maxY, y[i]);
  }
  for (const b of boxes) {
    minX = Math.min(minX, b.x);
    minY = Math.min(minY, b.y);
    maxX = Math.max(maxX, b.x + b.w);
    maxY = Math.max(maxY, b.y + b.h);
  }
  if (!Number.isFinite(minX)) return { scale: 1, tx: width / 2, ty: height / 2 };
  const pad = NODE_RADIUS * 4;
  const bw = maxX - minX + 2 * pad;
  const bh = maxY - minY + 2 * pad;
  const scale = Math.min(1.5, Math.max(0.02, Math.min(width / bw, height / bh)));
  return {
    scale,
    tx: width / 2 - ((minX + maxX) / 2) * scale,
    ty: height / 2 - ((minY + maxY) / 2) * scale,
  };
}
