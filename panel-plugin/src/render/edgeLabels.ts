// Edge labels (an L7 figure at the instant: `12 req/s`, `4.5%`, `230 ms`) at each drawn edge's midpoint, in screen
// pixels, as text only (fillText, never HTML); only when zoomed in enough for them to be read, and only on screen.
import type { RenderScene, View } from './scene';

/** Below this scale the labels would overlap the edges they name. */
const MIN_SCALE = 0.6;

export function drawEdgeLabels(
  ctx: CanvasRenderingContext2D,
  s: RenderScene,
  view: View,
  width: number,
  height: number,
): void {
  const labels = s.edgeLabels;
  if (!labels || view.scale < MIN_SCALE) return;
  ctx.font = '10px Inter, Helvetica, Arial, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillStyle = s.text;
  for (let e = 0; e < labels.length; e++) {
    const text = labels[e];
    if (!text || s.edgeStyle[e] < 0) continue;
    const a = s.edgeSource[e];
    const b = s.edgeTarget[e];
    const sx = ((s.x[a] + s.x[b]) / 2) * view.scale + view.tx;
    const sy = ((s.y[a] + s.y[b]) / 2) * view.scale + view.ty;
    if (sx < 0 || sy < 0 || sx > width || sy > height) continue;
    ctx.globalAlpha = s.edgeStyles[s.edgeStyle[e]]?.alpha ?? 1;
    ctx.fillText(text, sx, sy - 6);
  }
  ctx.globalAlpha = 1;
}
