// Draws a RenderScene on a 2D canvas: batched paths per style (not one element per node), culling to the
// viewport, labels with fillText (text only, never HTML) thinned by zoom level and free space.
import { drawEdgeLabels } from './edgeLabels';
import { NODE_RADIUS, type RenderScene, type View } from './scene';

const LABEL_MIN_SCALE = 0.45;
const LABEL_BUDGET = 350;
const LABEL_MAX_CHARS = 40;

export class CanvasRenderer {
  private scene?: RenderScene;
  private nodeBuckets: Int32Array[] = [];
  private edgeBuckets: Int32Array[] = [];
  private view: View = { scale: 1, tx: 0, ty: 0 };
  private width = 0;
  private height = 0;
  private labels: 'auto' | 'all' | 'none' = 'auto';
  private panning = false;
  private panCache?: { canvas: HTMLCanvasElement; scale: number; tx: number; ty: number; margin: number };
  /** number of completed draws and the duration of the last one (exposed for tests and benchmarks) */
  draws = 0;
  lastDrawMs = 0;

  constructor(private readonly canvas: HTMLCanvasElement) {}

  setScene(scene: RenderScene): void {
    this.scene = scene;
    this.panCache = undefined;
    this.nodeBuckets = bucket(scene.nodeStyle, scene.nodeStyles.length);
    this.edgeBuckets = bucket(scene.edgeStyle, scene.edgeStyles.length);
  }

  setView(view: View): void {
    this.view = view;
  }

  getView(): View {
    return this.view;
  }

  setLabels(mode: 'auto' | 'all' | 'none'): void {
    this.labels = mode;
    this.panCache = undefined;
  }

  resize(width: number, height: number): void {
    this.panCache = undefined;
    const dpr = typeof window !== 'undefined' ? window.devicePixelRatio || 1 : 1;
    this.width = width;
    this.height = height;
    this.canvas.width = Math.max(1, Math.round(width * dpr));
    this.canvas.height = Math.max(1, Math.round(height * dpr));
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
  }

  /** Index of the drawn node under the screen point, or -1. */
  hit(sx: number, sy: number): number {
    const s = this.scene;
    if (!s) return -1;
    const wx = (sx - this.view.tx) / this.view.scale;
    const wy = (sy - this.view.ty) / this.view.scale;
    const r = Math.max(NODE_RADIUS, 6 / this.view.scale);
    let best = -1;
    let bestD = r * r;
    for (let i = 0; i < s.x.length; i++) {
      if (s.nodeStyle[i] < 0) continue;
      const dx = s.x[i] - wx;
      const dy = s.y[i] - wy;
      const d = dx * dx + dy * dy;
      if (d <= bestD) {
        bestD = d;
        best = i;
      }
    }
    return best;
  }

  /**
   * While dragging, the scene is rasterised once into a larger offscreen canvas and each frame only copies it at the
   * new offset: rasterising tens of thousands of edges every frame is what makes a big graph stutter, not the paths.
   */
  beginPan(): void {
    this.panning = true;
    this.panCache = undefined;
  }

  endPan(): void {
    this.panning = false;
    this.panCache = undefined;
  }

  draw(): void {
    const t0 = performance.now();
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const dpr = this.canvas.width / Math.max(1, this.width);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    if (this.scene) {
      if (this.panning && typeof document !== 'undefined') this.blitPan(ctx, this.scene, dpr);
      else this.paint(ctx, this.scene, this.view, this.width, this.height, dpr);
    }
    this.draws++;
    this.lastDrawMs = performance.now() - t0;
  }

  private blitPan(ctx: CanvasRenderingContext2D, s: RenderScene, dpr: number): void {
    const { scale, tx, ty } = this.view;
    let c = this.panCache;
    const dx = c ? tx - c.tx : 0;
    const dy = c ? ty - c.ty : 0;
    if (!c || c.scale !== scale || Math.abs(dx) > c.margin || Math.abs(dy) > c.margin) {
      const margin = Math.round(Math.max(this.width, this.height) / 2);
      const canvas = c?.canvas ?? document.createElement('canvas');
      canvas.width = Math.round((this.width + 2 * margin) * dpr);
      canvas.height = Math.round((this.height + 2 * margin) * dpr);
      const off = canvas.getContext('2d');
      if (!off) return this.paint(ctx, s, this.view, this.width, this.height, dpr);
      const view = { scale, tx: tx + margin, ty: ty + margin };
      this.paint(off, s, view, this.width + 2 * margin, this.height + 2 * margin, dpr);
      c = this.panCache = { canvas, scale, tx, ty, margin };
    }
    ctx.drawImage(c.canvas, Math.round((tx - c.tx - c.margin) * dpr), Math.round((ty - c.ty - c.margin) * dpr));
  }

  /** Draws the scene with `view` on a `width` x `height` (CSS pixels) context. */
  private paint(
    ctx: CanvasRenderingContext2D,
    s: RenderScene,
    view: View,
    width: number,
    height: number,
    dpr: number,
  ): void {
    const { scale, tx, ty } = view;
    ctx.setTransform(dpr * scale, 0, 0, dpr * scale, dpr * tx, dpr * ty);
    const vx0 = -tx / scale - NODE_RADIUS;
    const vy0 = -ty / scale - NODE_RADIUS;
    const vx1 = (width - tx) / scale + NODE_RADIUS;
    const vy1 = (height - ty) / scale + NODE_RADIUS;
    this.drawBoxes(ctx, s, scale);
    this.drawEdges(ctx, s, scale, vx0, vy0, vx1, vy1);
    this.drawNodes(ctx, s, scale, vx0, vy0, vx1, vy1);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.drawLabels(ctx, s, view, width, height);
    drawEdgeLabels(ctx, s, view, width, height);
  }

  private drawBoxes(ctx: CanvasRenderingContext2D, s: RenderScene, scale: number): void {
    if (!s.boxes.length) return;
    ctx.globalAlpha = 0.6;
    ctx.strokeStyle = s.box;
    ctx.lineWidth = 1 / scale;
    ctx.setLineDash([]);
    ctx.beginPath();
    for (const b of s.boxes) ctx.rect(b.x, b.y, b.w, b.h);
    ctx.stroke();
    ctx.globalAlpha = 1;
  }

  private drawEdges(
    ctx: CanvasRenderingContext2D,
    s: RenderScene,
    scale: number,
    vx0: number,
    vy0: number,
    vx1: number,
    vy1: number,
  ): void {
    const arrows = scale * NODE_RADIUS >= 6;
    this.edgeBuckets.forEach((list, k) => {
      const st = s.edgeStyles[k];
      ctx.globalAlpha = st.alpha;
      ctx.strokeStyle = st.color;
      ctx.fillStyle = st.color;
      ctx.lineWidth = st.width / scale;
      ctx.setLineDash(st.dashed ? [6 / scale, 4 / scale] : []);
      ctx.beginPath();
      const heads: number[] = [];
      for (let j = 0; j < list.length; j++) {
        const e = list[j];
        const a = s.edgeSource[e];
        const b = s.edgeTarget[e];
        const x0 = s.x[a];
        const y0 = s.y[a];
        const x1 = s.x[b];
        const y1 = s.y[b];
        if (Math.max(x0, x1) < vx0 || Math.min(x0, x1) > vx1 || Math.max(y0, y1) < vy0 || Math.min(y0, y1) > vy1) {
          continue;
        }
        ctx.moveTo(x0, y0);
        ctx.lineTo(x1, y1);
        if (arrows) heads.push(x0, y0, x1, y1);
      }
      ctx.stroke();
      if (heads.length) {
        ctx.setLineDash([]);
        ctx.beginPath();
        const len = 8 / scale;
        for (let h = 0; h < heads.length; h += 4) {
          const dx = heads[h + 2] - heads[h];
          const dy = heads[h + 3] - heads[h + 1];
          const d = Math.sqrt(dx * dx + dy * dy) || 1;
          const ux = dx / d;
          const uy = dy / d;
          const px = heads[h + 2] - ux * NODE_RADIUS;
          const py = heads[h + 3] - uy * NODE_RADIUS;
          ctx.moveTo(px, py);
          ctx.lineTo(px - ux * len - uy * len * 0.5, py - uy * len + ux * len * 0.5);
          ctx.lineTo(px - ux * len + uy * len * 0.5, py - uy * len - ux * len * 0.5);
          ctx.closePath();
        }
        ctx.fill();
      }
    });
    ctx.globalAlpha = 1;
  }

  private drawNodes(
    ctx: CanvasRenderingContext2D,
    s: RenderScene,
    scale: number,
    vx0: number,
    vy0: number,
    vx1: number,
    vy1: number,
  ): void {
    // Far out, a node is a few pixels: squares are much cheaper than arcs and look the same.
    const tiny = scale * NODE_RADIUS < 2.5;
    this.nodeBuckets.forEach((list, k) => {
      const st = s.nodeStyles[k];
      ctx.globalAlpha = st.alpha;
      ctx.fillStyle = st.fill;
      ctx.strokeStyle = st.stroke;
      ctx.lineWidth = st.ring / scale;
      ctx.setLineDash(st.dashed ? [4 / scale, 3 / scale] : []);
      ctx.beginPath();
      for (let j = 0; j < list.length; j++) {
        const i = list[j];
        const x = s.x[i];
        const y = s.y[i];
        if (x < vx0 || x > vx1 || y < vy0 || y > vy1) continue;
        if (tiny) ctx.rect(x - NODE_RADIUS, y - NODE_RADIUS, 2 * NODE_RADIUS, 2 * NODE_RADIUS);
        else {
          ctx.moveTo(x + NODE_RADIUS, y);
          ctx.arc(x, y, NODE_RADIUS, 0, Math.PI * 2);
        }
      }
      if (!st.dashed) ctx.fill();
      if (st.ring > 0) ctx.stroke();
    });
    ctx.globalAlpha = 1;
    ctx.setLineDash([]);
  }

  private drawLabels(ctx: CanvasRenderingContext2D, s: RenderScene, view: View, width: number, height: number): void {
    const { scale, tx, ty } = view;
    if (this.labels === 'none') return;
    if (this.labels === 'auto' && scale < LABEL_MIN_SCALE) return;
    const budget = this.labels === 'all' ? 5000 : LABEL_BUDGET;
    ctx.font = '12px Inter, Helvetica, Arial, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    ctx.fillStyle = s.text;
    const taken = new Set<number>();
    const cellW = 16;
    const cellH = 14;
    let drawn = 0;
    for (let k = 0; k < s.priority.length && drawn < budget; k++) {
      const i = s.priority[k];
      const style = s.nodeStyle[i];
      if (style < 0) continue;
      const sx = s.x[i] * scale + tx;
      const sy = s.y[i] * scale + ty + NODE_RADIUS * scale + 3;
      if (sx < -100 || sx > width + 100 || sy < -20 || sy > height + 20) continue;
      let text = s.labels[i];
      if (text.length > LABEL_MAX_CHARS) text = `${text.slice(0, LABEL_MAX_CHARS - 1)}…`;
      const half = ctx.measureText(text).width / 2 + 2;
      const c0 = Math.floor((sx - half) / cellW);
      const c1 = Math.floor((sx + half) / cellW);
      const r = Math.floor(sy / cellH);
      let free = true;
      if (this.labels === 'auto') {
        for (let c = c0; c <= c1 && free; c++) if (taken.has(r * 100003 + c)) free = false;
        if (!free) continue;
        for (let c = c0; c <= c1; c++) taken.add(r * 100003 + c);
      }
      ctx.globalAlpha = s.nodeStyles[style].alpha;
      ctx.fillText(text, sx, sy);
      drawn++;
    }
    ctx.globalAlpha = 1;
  }
}

function bucket(styleOf: Int16Array, count: number): Int32Array[] {
  const sizes = new Int32Array(count);
  for (let i = 0; i < styleOf.length; i++) if (styleOf[i] >= 0) sizes[styleOf[i]]++;
  const out = Array.from(sizes, (n) => new Int32Array(n));
  const fill = new Int32Array(count);
  for (let i = 0; i < styleOf.length; i++) {
    const k = styleOf[i];
    if (k >= 0) out[k][fill[k]++] = i;
  }
  return out;
}
