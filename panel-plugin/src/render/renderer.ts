// Draws a RenderScene on a 2D canvas: batched paths per style (not one element per node), edges as hairlines
// (render/hairlines.ts), culling to the viewport, closed groups as one aggregate node (semantic zoom), labels with
// fillText (text only, never HTML) by importance where there is free space, and edge labels when zoomed in far enough.
import {
  aggregateEdges,
  aggregates,
  closedBoxes,
  closedOfNode,
  type Aggregate,
  type AggregateEdge,
} from './aggregates';
import { EDGE_LABEL_BUDGET, edgeLabelsAt } from './edgeLabels';
import { addHairlines, hairlineCount, hairlineWidth } from './hairlines';
import { CollisionGrid, LABEL_HEIGHT, placeLabels } from './labels';
import { NODE_RADIUS, type RenderScene, type View } from './scene';

/** What the last full drawing showed, for the scene description (indices into the scene). */
export interface DrawnState {
  scale: number;
  labels: number[];
  edgeLabels: number[];
  aggregates: Array<Aggregate & { open: boolean }>;
}

const LABEL_MIN_SCALE = 0.45;
const LABEL_BUDGET = 350;
const LABEL_MAX_CHARS = 40;
const EDGE_SHEET = 1500;

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
  private aggs: Aggregate[] = [];
  /** groups opened by a click while zoomed out */
  private opened = new Set<number>();
  /** the closed groups of the last paint, their nodes and merged edges (recomputed when the closed set changes) */
  private closedKey = '';
  private closed: Uint8Array = new Uint8Array(0);
  private closedNode: Int32Array = new Int32Array(0);
  private aggEdges: AggregateEdge[] = [];
  private textWidths = new Map<string, number>();
  private drawn: DrawnState = { scale: 1, labels: [], edgeLabels: [], aggregates: [] };
  /** number of completed draws and the duration of the last one (exposed for tests and benchmarks) */
  draws = 0;
  lastDrawMs = 0;

  constructor(private readonly canvas: HTMLCanvasElement) {}

  setScene(scene: RenderScene): void {
    // a new layout (other boxes) forgets the groups opened by click
    if (this.scene && this.scene.boxes !== scene.boxes) this.opened.clear();
    this.scene = scene;
    this.panCache = undefined;
    this.closedKey = '';
    this.aggs = aggregates(scene);
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

  /** What the last full drawing showed: which labels, which groups closed (for tests). */
  drawnState(): DrawnState {
    return this.drawn;
  }

  /** The box of the closed group whose aggregate is under the screen point, or -1. */
  hitGroup(sx: number, sy: number): number {
    const wx = (sx - this.view.tx) / this.view.scale;
    const wy = (sy - this.view.ty) / this.view.scale;
    this.updateClosed(this.view.scale);
    for (const a of this.aggs) {
      if (!this.closed[a.box]) continue;
      const dx = a.cx - wx;
      const dy = a.cy - wy;
      if (dx * dx + dy * dy <= a.r * a.r) return a.box;
    }
    return -1;
  }

  /** Opens a closed group (a click on its aggregate): its nodes are drawn whatever the zoom. */
  openGroup(box: number): void {
    this.opened.add(box);
    this.panCache = undefined;
  }

  /** Index of the drawn node under the screen point, or -1 (nodes inside a closed group are not drawn). */
  hit(sx: number, sy: number): number {
    const s = this.scene;
    if (!s) return -1;
    this.updateClosed(this.view.scale);
    const wx = (sx - this.view.tx) / this.view.scale;
    const wy = (sy - this.view.ty) / this.view.scale;
    const r = Math.max(NODE_RADIUS, 6 / this.view.scale);
    let best = -1;
    let bestD = r * r;
    for (let i = 0; i < s.x.length; i++) {
      if (s.nodeStyle[i] < 0 || this.closedNode[i] >= 0) continue;
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

  isPanning(): boolean {
    return this.panning;
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
    this.updateClosed(scale);
    this.drawBoxes(ctx, s, scale);
    this.drawEdges(ctx, s, scale, dpr, vx0, vy0, vx1, vy1);
    this.drawAggregateEdges(ctx, s, scale, dpr);
    this.drawNodes(ctx, s, scale, vx0, vy0, vx1, vy1);
    this.drawAggregates(ctx, scale);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const grid = new CollisionGrid();
    const aggregateLabels = this.drawAggregateLabels(ctx, s, view, grid);
    const labels = this.drawLabels(ctx, s, view, width, height, grid);
    const edgeLabels = this.drawEdgeLabels(ctx, s, view, width, height, grid);
    this.drawn = { scale, labels, edgeLabels, aggregates: aggregateLabels };
  }

  /** Which groups are closed at this zoom, the box of each node in one, and the edges merged at their ends. */
  private updateClosed(scale: number): void {
    const s = this.scene;
    if (!s) return;
    const closed = closedBoxes(s.boxes.length, scale, this.opened);
    const key = closed.join('');
    if (key === this.closedKey && this.closedNode.length === s.x.length) return;
    this.closedKey = key;
    this.closed = closed;
    this.closedNode = closedOfNode(s.nodeBox, closed, s.x.length);
    this.aggEdges = closed.includes(1) ? aggregateEdges(s, this.closedNode) : [];
  }

  /** Edges into, out of and between closed groups: one line per pair of ends, wider with more edges. */
  private drawAggregateEdges(ctx: CanvasRenderingContext2D, s: RenderScene, scale: number, dpr: number): void {
    if (!this.aggEdges.length) return;
    const centre = new Map<number, Aggregate>();
    for (const a of this.aggs) centre.set(-1 - a.box, a);
    const byWidth = new Map<number, number[]>();
    for (const e of this.aggEdges) {
      const w = Math.min(8, 1 + Math.round(Math.log2(e.count)));
      const list = byWidth.get(w) ?? [];
      const ca = centre.get(e.a);
      const cb = centre.get(e.b);
      list.push(ca ? ca.cx : s.x[e.a], ca ? ca.cy : s.y[e.a], cb ? cb.cx : s.x[e.b], cb ? cb.cy : s.y[e.b]);
      byWidth.set(w, list);
    }
    ctx.globalAlpha = 0.35;
    ctx.strokeStyle = s.edgeStyles[0]?.color ?? s.text;
    ctx.setLineDash([]);
    const unit = 1 / (scale * dpr);
    ctx.lineWidth = hairlineWidth(scale * dpr);
    for (const [w, list] of byWidth) {
      const count = hairlineCount(w, dpr);
      ctx.beginPath();
      for (let k = 0; k < list.length; k += 4)
        addHairlines(ctx, list[k], list[k + 1], list[k + 2], list[k + 3], count, unit);
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
  }

  /** Closed groups: one disc each, in the colour most of its nodes have, with a ring when its diff has changes. */
  private drawAggregates(ctx: CanvasRenderingContext2D, scale: number): void {
    for (const a of this.aggs) {
      if (!this.closed[a.box]) continue;
      ctx.globalAlpha = 0.6;
      ctx.fillStyle = a.fill;
      ctx.beginPath();
      ctx.arc(a.cx, a.cy, a.r, 0, Math.PI * 2);
      ctx.fill();
      if (a.added || a.removed) {
        ctx.globalAlpha = 1;
        ctx.lineWidth = 3 / scale;
        ctx.strokeStyle = a.removed > a.added ? '#f85149' : '#3fb950';
        ctx.stroke();
      }
    }
    ctx.globalAlpha = 1;
  }

  /** The name and count of each closed group, in its disc; they always win the space. */
  private drawAggregateLabels(
    ctx: CanvasRenderingContext2D,
    s: RenderScene,
    view: View,
    grid: CollisionGrid,
  ): DrawnState['aggregates'] {
    const out: DrawnState['aggregates'] = [];
    if (!this.aggs.length) return out;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    ctx.fillStyle = s.text;
    for (const a of this.aggs) {
      const open = !this.closed[a.box];
      out.push({ ...a, open });
      if (open || this.labels === 'none') continue;
      const sx = a.cx * view.scale + view.tx;
      const sy = a.cy * view.scale + view.ty;
      const name = a.name.length > LABEL_MAX_CHARS ? `${a.name.slice(0, LABEL_MAX_CHARS - 1)}…` : a.name;
      const diff = a.added || a.removed ? ` +${a.added} −${a.removed}` : '';
      const count = `${a.count} node${a.count === 1 ? '' : 's'}${diff}`;
      ctx.font = 'bold 12px Inter, Helvetica, Arial, sans-serif';
      this.halo(ctx, s);
      const half = Math.max(this.measure(ctx, name), this.measure(ctx, count)) / 2 + 2;
      grid.take(sx - half, sy - LABEL_HEIGHT - 2, sx + half, sy + LABEL_HEIGHT + 2);
      if (s.halo) ctx.strokeText(name, sx, sy - LABEL_HEIGHT - 1);
      ctx.fillText(name, sx, sy - LABEL_HEIGHT - 1);
      ctx.font = '12px Inter, Helvetica, Arial, sans-serif';
      if (s.halo) ctx.strokeText(count, sx, sy + 1);
      ctx.fillText(count, sx, sy + 1);
    }
    return out;
  }

  /** Label text gets a rim of the background colour: readable over edges and discs. */
  private halo(ctx: CanvasRenderingContext2D, s: RenderScene): void {
    if (!s.halo) return;
    ctx.strokeStyle = s.halo;
    ctx.lineWidth = 3;
    ctx.lineJoin = 'round';
    ctx.setLineDash([]);
  }

  private measure(ctx: CanvasRenderingContext2D, text: string): number {
    const key = `${ctx.font}\u0000${text}`;
    let w = this.textWidths.get(key);
    if (w === undefined) {
      w = ctx.measureText(text).width;
      if (this.textWidths.size > 50_000) this.textWidths.clear();
      this.textWidths.set(key, w);
    }
    return w;
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
    dpr: number,
    vx0: number,
    vy0: number,
    vx1: number,
    vy1: number,
  ): void {
    const arrows = scale * NODE_RADIUS >= 6;
    const unit = 1 / (scale * dpr);
    const fade = this.edgeFade(s, vx0, vy0, vx1, vy1);
    this.edgeBuckets.forEach((list, k) => {
      const st = s.edgeStyles[k];
      ctx.globalAlpha = st.alpha * fade;
      ctx.strokeStyle = st.color;
      ctx.fillStyle = st.color;
      ctx.lineWidth = hairlineWidth(scale * dpr);
      // a faded sheet of thousands of edges shows no thickness: one hairline each, a third of the raster work
      const count = fade < 1 ? 1 : hairlineCount(st.width, dpr);
      ctx.setLineDash(st.dashed ? [6 / scale, 4 / scale] : []);
      ctx.beginPath();
      const heads: number[] = [];
      for (let j = 0; j < list.length; j++) {
        const e = list[j];
        const a = s.edgeSource[e];
        const b = s.edgeTarget[e];
        if (this.closedNode[a] >= 0 || this.closedNode[b] >= 0) continue;
        const x0 = s.x[a];
        const y0 = s.y[a];
        const x1 = s.x[b];
        const y1 = s.y[b];
        if (Math.max(x0, x1) < vx0 || Math.min(x0, x1) > vx1 || Math.max(y0, y1) < vy0 || Math.min(y0, y1) > vy1) {
          continue;
        }
        addHairlines(ctx, x0, y0, x1, y1, count, unit);
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

  /**
   * Many edges over the viewport make a grey sheet that hides the nodes: past EDGE_SHEET edges in view, each is
   * drawn fainter, so that the sheet stays about as dark as EDGE_SHEET edges would make it.
   */
  private edgeFade(s: RenderScene, vx0: number, vy0: number, vx1: number, vy1: number): number {
    let inView = 0;
    for (let e = 0; e < s.edgeSource.length; e++) {
      if (s.edgeStyle[e] < 0) continue;
      const a = s.edgeSource[e];
      const b = s.edgeTarget[e];
      if (this.closedNode[a] >= 0 || this.closedNode[b] >= 0) continue;
      const x0 = s.x[a];
      const x1 = s.x[b];
      const y0 = s.y[a];
      const y1 = s.y[b];
      if (Math.max(x0, x1) < vx0 || Math.min(x0, x1) > vx1 || Math.max(y0, y1) < vy0 || Math.min(y0, y1) > vy1)
        continue;
      inView++;
    }
    return inView > EDGE_SHEET ? Math.max(0.04, (EDGE_SHEET / inView) ** 0.75) : 1;
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
        if (this.closedNode[i] >= 0) continue;
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

  /** Node labels by importance where they fit; returns the labelled node indices. */
  private drawLabels(
    ctx: CanvasRenderingContext2D,
    s: RenderScene,
    view: View,
    width: number,
    height: number,
    grid: CollisionGrid,
  ): number[] {
    const { scale, tx, ty } = view;
    if (this.labels === 'none') return [];
    if (this.labels === 'auto' && scale < LABEL_MIN_SCALE) return [];
    ctx.font = '12px Inter, Helvetica, Arial, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    ctx.fillStyle = s.text;
    const closedNode = this.closedNode;
    const placed = placeLabels({
      order: s.priority,
      at: (i) => {
        if (s.nodeStyle[i] < 0 || closedNode[i] >= 0) return null;
        const x = s.x[i] * scale + tx;
        const y = s.y[i] * scale + ty;
        return x < -100 || x > width + 100 || y < -20 || y > height + 20 ? null : { x, y };
      },
      text: (i) => {
        const t = s.labels[i];
        return t.length > LABEL_MAX_CHARS ? `${t.slice(0, LABEL_MAX_CHARS - 1)}…` : t;
      },
      width: (t) => this.measure(ctx, t),
      radius: NODE_RADIUS * scale,
      height,
      budget: this.labels === 'all' ? 5000 : LABEL_BUDGET,
      avoidOverlap: this.labels === 'auto',
      grid,
    });
    this.halo(ctx, s);
    for (const p of placed) {
      ctx.globalAlpha = s.nodeStyles[s.nodeStyle[p.index]].alpha;
      if (s.halo) ctx.strokeText(p.text, p.x, p.y);
      ctx.fillText(p.text, p.x, p.y);
    }
    ctx.globalAlpha = 1;
    return placed.map((p) => p.index);
  }

  /** Edge labels (the chosen metric) at the middle of edges long enough on screen, heaviest first, zoomed in only. */
  private drawEdgeLabels(
    ctx: CanvasRenderingContext2D,
    s: RenderScene,
    view: View,
    width: number,
    height: number,
    grid: CollisionGrid,
  ): number[] {
    const { scale, tx, ty } = view;
    if (this.labels === 'none' || !edgeLabelsAt(scale)) return [];
    ctx.font = '10px Inter, Helvetica, Arial, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillStyle = s.text;
    this.halo(ctx, s);
    const out: number[] = [];
    const r = NODE_RADIUS * scale;
    for (let k = 0; k < s.edgeOrder.length && out.length < EDGE_LABEL_BUDGET; k++) {
      const e = s.edgeOrder[k];
      const st = s.edgeStyle[e];
      if (st < 0) continue;
      const a = s.edgeSource[e];
      const b = s.edgeTarget[e];
      if (this.closedNode[a] >= 0 || this.closedNode[b] >= 0) continue;
      const x0 = s.x[a] * scale + tx;
      const y0 = s.y[a] * scale + ty;
      const x1 = s.x[b] * scale + tx;
      const y1 = s.y[b] * scale + ty;
      const mx = (x0 + x1) / 2;
      const my = (y0 + y1) / 2;
      if (mx < 0 || mx > width || my < 6 || my > height - 6) continue;
      const text = s.edgeLabel(e);
      if (!text) continue;
      const w = this.measure(ctx, text);
      const len = Math.hypot(x1 - x0, y1 - y0);
      if (len < w + 2 * r + 8) continue;
      if (!grid.take(mx - w / 2 - 2, my - 6, mx + w / 2 + 2, my + 6)) continue;
      ctx.globalAlpha = Math.min(0.9, s.edgeStyles[st].alpha + 0.1);
      if (s.halo) ctx.strokeText(text, mx, my);
      ctx.fillText(text, mx, my);
      out.push(e);
    }
    ctx.globalAlpha = 1;
    return out;
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
