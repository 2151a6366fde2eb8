// Semantic zoom: a group box (namespace, host, workload) zoomed out is drawn as one aggregate node with the count of
// its nodes at the instant; it opens as the user zooms in (or clicks it). Edges to a closed group end at its
// aggregate; the edges between two closed groups are one line with a count. Positions never move: an aggregate sits
// at its box's centre, so opening a group shows its nodes where the aggregate was.
import { DiffState } from '../model/diff';
import type { RenderScene } from './scene';

/** Groups are open from this zoom on: nodes are about 27 px apart (layout spacing 90) and their labels fit. */
export const OPEN_SCALE = 0.3;

export interface Aggregate {
  box: number;
  name: string;
  /** nodes drawn at the instant (with a baseline: in the diff) */
  count: number;
  added: number;
  removed: number;
  cx: number;
  cy: number;
  /** world units */
  r: number;
  /** the fill most of its nodes have */
  fill: string;
}

/** One aggregate per box that has a node drawn at the instant. */
export function aggregates(s: RenderScene): Aggregate[] {
  const { nodeBox, boxes } = s;
  if (!nodeBox || !boxes.length) return [];
  const count = new Int32Array(boxes.length);
  const added = new Int32Array(boxes.length);
  const removed = new Int32Array(boxes.length);
  const fills = boxes.map(() => new Map<string, number>());
  for (let i = 0; i < nodeBox.length; i++) {
    const b = nodeBox[i];
    const k = s.nodeStyle[i];
    if (b < 0 || k < 0) continue;
    count[b]++;
    if (s.nodeState[i] === DiffState.added) added[b]++;
    else if (s.nodeState[i] === DiffState.removed) removed[b]++;
    const fill = s.nodeStyles[k].fill;
    fills[b].set(fill, (fills[b].get(fill) ?? 0) + 1);
  }
  const out: Aggregate[] = [];
  boxes.forEach((box, b) => {
    if (!count[b]) return;
    let fill = '';
    let most = 0;
    for (const [f, c] of fills[b]) if (c > most) [fill, most] = [f, c];
    out.push({
      box: b,
      name: box.name,
      count: count[b],
      added: added[b],
      removed: removed[b],
      cx: box.x + box.w / 2,
      cy: box.y + box.h / 2,
      r: Math.max(28, Math.min(box.w, box.h) * 0.3),
      fill,
    });
  });
  return out;
}

/** 1 for each box drawn closed (as its aggregate) at this zoom: all below OPEN_SCALE except those opened by click. */
export function closedBoxes(boxCount: number, scale: number, opened: ReadonlySet<number>): Uint8Array {
  const closed = new Uint8Array(boxCount);
  if (scale >= OPEN_SCALE) return closed;
  for (let b = 0; b < boxCount; b++) if (!opened.has(b)) closed[b] = 1;
  return closed;
}

/** The box of each node when that box is closed, else -1. */
export function closedOfNode(nodeBox: Int32Array | undefined, closed: Uint8Array, n: number): Int32Array {
  const out = new Int32Array(n).fill(-1);
  if (!nodeBox) return out;
  for (let i = 0; i < n; i++) if (nodeBox[i] >= 0 && closed[nodeBox[i]]) out[i] = nodeBox[i];
  return out;
}

export interface AggregateEdge {
  /** an end: a node index (>= 0) or a closed box (-1 - box) */
  a: number;
  b: number;
  /** edges it stands for */
  count: number;
}

/** The drawn edges with at least one end in a closed box, merged by their (aggregate or node) ends. */
export function aggregateEdges(s: RenderScene, closedNode: Int32Array): AggregateEdge[] {
  const merged = new Map<number, AggregateEdge>();
  const span = closedNode.length + 1;
  for (let e = 0; e < s.edgeSource.length; e++) {
    if (s.edgeStyle[e] < 0) continue;
    const cs = closedNode[s.edgeSource[e]];
    const ct = closedNode[s.edgeTarget[e]];
    if (cs < 0 && ct < 0) continue;
    if (cs >= 0 && cs === ct) continue; // inside one closed group
    const a = cs >= 0 ? -1 - cs : s.edgeSource[e];
    const b = ct >= 0 ? -1 - ct : s.edgeTarget[e];
    const key = (a + span) * 2 * span + (b + span);
    const m = merged.get(key);
    if (m) m.count++;
    else merged.set(key, { a, b, count: 1 });
  }
  return [...merged.values()];
}
