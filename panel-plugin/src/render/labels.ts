// Which labels win the space: nodes ranked by importance (search hits, the view's own node kind, listeners, number
// of connections), never by draw order; a collision grid in screen cells; a label goes under its node, or above it
// when a more important label or the canvas' bottom edge (the timeline strip) takes that place, or is left out.
import { edgeEnds } from '../model/edgeEnds';
import type { Graph, GraphNode } from '../model/graph';
import { byDescendingScore } from '../model/rank';

export interface ImportanceInput {
  /** the node kind of the current view (pod, workload...): those nodes come before their hosts and externals */
  viewKind?: string;
  /** search hits: 1 for a node that matches */
  match?: Uint8Array;
}

/** Label height and the gap between a node's circle and its label, in screen pixels. */
export const LABEL_HEIGHT = 12;
export const LABEL_GAP = 3;

/** A node that listens (a server): its process key carries its ports (`catalogue[8081]`) or a detail names them. */
export function isListener(node: GraphNode): boolean {
  return /\[\d[\d,]*\]$/.test(node.id) || !!(node.details.listen || node.details.ports || node.details.port);
}

/**
 * The importance score of each node: tiers that always dominate the number of connections (a search hit above
 * everything, then the view's node kind, then listeners), with the degree ordering nodes inside a tier.
 */
export function importance(graph: Graph, input: ImportanceInput = {}): Float64Array {
  const n = graph.nodes.length;
  const degree = new Float64Array(n);
  const ends = edgeEnds(graph);
  for (let e = 0; e < ends.source.length; e++) {
    const s = ends.source[e];
    const t = ends.target[e];
    if (s >= 0) degree[s]++;
    if (t >= 0 && t !== s) degree[t]++;
  }
  const tier = 1e6;
  const score = new Float64Array(n);
  graph.nodes.forEach((node, i) => {
    let s = Math.min(degree[i], tier - 1);
    if (isListener(node)) s += tier;
    if (input.viewKind && node.kind === input.viewKind) s += 2 * tier;
    if (input.match?.[i]) s += 4 * tier;
    score[i] = s;
  });
  return score;
}

/** Node indices by importance, most important first, ties in graph order. */
export function labelPriority(graph: Graph, input: ImportanceInput = {}): Int32Array {
  return byDescendingScore(importance(graph, input));
}

/** Screen cells taken by labels drawn so far: a label is drawn only where none of its cells is taken. */
export class CollisionGrid {
  private readonly taken = new Set<number>();
  constructor(
    private readonly cellW = 16,
    private readonly cellH = 14,
  ) {}

  /** Takes the cells of the rectangle and returns true, or returns false when one of them is already taken. */
  take(x0: number, y0: number, x1: number, y1: number): boolean {
    const c0 = Math.floor(x0 / this.cellW);
    const c1 = Math.floor(x1 / this.cellW);
    const r0 = Math.floor(y0 / this.cellH);
    const r1 = Math.floor(y1 / this.cellH);
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) if (this.taken.has(r * 100003 + c)) return false;
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) this.taken.add(r * 100003 + c);
    return true;
  }
}

/** The places a label may take, best first: under the node, then above it; only those inside the canvas. */
export function labelTops(sy: number, r: number, height: number): number[] {
  const below = sy + r + LABEL_GAP;
  const above = sy - r - LABEL_GAP - LABEL_HEIGHT;
  return [below + LABEL_HEIGHT <= height ? below : null, above >= 0 ? above : null].filter(
    (t): t is number => t !== null,
  );
}

export interface PlacedLabel {
  index: number;
  x: number;
  /** top of the text */
  y: number;
  text: string;
}

export interface PlaceInput {
  /** candidates in priority order */
  order: ArrayLike<number>;
  /** screen position of candidate i, or null when it is not drawn or off screen */
  at: (i: number) => { x: number; y: number } | null;
  text: (i: number) => string;
  width: (text: string) => number;
  radius: number;
  height: number;
  budget: number;
  /** false: every label is drawn (labels: all), overlapping or not */
  avoidOverlap: boolean;
  grid: CollisionGrid;
}

/** Node labels in priority order until the budget is spent, each where it does not overlap one drawn before. */
export function placeLabels(p: PlaceInput): PlacedLabel[] {
  const out: PlacedLabel[] = [];
  for (let k = 0; k < p.order.length && out.length < p.budget; k++) {
    const i = p.order[k];
    const at = p.at(i);
    if (!at) continue;
    const text = p.text(i);
    const half = p.width(text) / 2 + 2;
    const fits = (top: number): boolean =>
      !p.avoidOverlap || p.grid.take(at.x - half, top, at.x + half, top + LABEL_HEIGHT - 1);
    // under the node first; where a neighbour's label took that place, above it rather than no name at all
    const y = labelTops(at.y, p.radius, p.height).find(fits);
    if (y === undefined) continue;
    out.push({ index: i, x: at.x, y, text });
  }
  return out;
}
