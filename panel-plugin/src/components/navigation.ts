// The canvas' navigation, as plain functions: the edge under the pointer, the fitted views (all nodes, or those
// drawn at the instant) with room left under the bottom row for its labels, and the zoom bounds.
import { fitView, NODE_RADIUS, type RenderScene, type View } from '../render/scene';

/** Room kept under the lowest node so that its label (drawn under it) is not cut off at the canvas' edge. */
export const LABEL_ROOM = 22;

/** The view fitting the given nodes (all when `only` is undefined) and the group boxes, labels included. */
export function fitScene(s: RenderScene, width: number, height: number, only?: Uint8Array): View {
  if (!only) return fitView(s.x, s.y, s.boxes, width, Math.max(1, height - LABEL_ROOM));
  const idx = Array.from(s.x.keys()).filter((i) => only[i] === 1);
  const x = Float64Array.from(idx, (i) => s.x[i]);
  const y = Float64Array.from(idx, (i) => s.y[i]);
  return fitView(x, y, [], width, Math.max(1, height - LABEL_ROOM));
}

/** The nodes drawn at the instant (the fit-to-view button fits these). */
export function drawnNodes(s: RenderScene): Uint8Array {
  return Uint8Array.from(s.nodeStyle, (k) => (k >= 0 ? 1 : 0));
}

/**
 * The scales the wheel may reach: down to a quarter of the fitted scale (the whole graph stays a readable shape,
 * never a dot) and up to where a node is about 8 times its size.
 */
export function zoomBounds(fitted: View): { min: number; max: number } {
  return { min: Math.min(fitted.scale / 4, 1), max: Math.max(8, fitted.scale) };
}

/** The view zoomed by factor k around the screen point (px, py), the scale kept within bounds. */
export function zoomAt(v: View, k: number, px: number, py: number, bounds: { min: number; max: number }): View {
  const scale = Math.min(bounds.max, Math.max(bounds.min, v.scale * k));
  const f = scale / v.scale;
  return { scale, tx: px - (px - v.tx) * f, ty: py - (py - v.ty) * f };
}

/** Index of the drawn edge within a few pixels of the screen point (outside the end nodes), or -1. */
export function edgeAt(s: RenderScene, v: View, sx: number, sy: number, tolerance = 5): number {
  let best = -1;
  let bestD = tolerance * tolerance;
  const r = NODE_RADIUS * v.scale;
  for (let i = 0; i < s.edgeSource.length; i++) {
    if (s.edgeStyle[i] < 0) continue;
    const a = s.edgeSource[i];
    const b = s.edgeTarget[i];
    const x0 = s.x[a] * v.scale + v.tx;
    const y0 = s.y[a] * v.scale + v.ty;
    const x1 = s.x[b] * v.scale + v.tx;
    const y1 = s.y[b] * v.scale + v.ty;
    const dx = x1 - x0;
    const dy = y1 - y0;
    const len2 = dx * dx + dy * dy;
    if (len2 === 0) continue;
    const u = ((sx - x0) * dx + (sy - y0) * dy) / len2;
    const len = Math.sqrt(len2);
    // not over the end nodes: hovering a node is about the node
    if (u * len < r || (1 - u) * len < r) continue;
    const px = x0 + u * dx - sx;
    const py = y0 + u * dy - sy;
    const d = px * px + py * py;
    if (d <= bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}
