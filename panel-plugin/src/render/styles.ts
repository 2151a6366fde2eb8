// Decides how each node and edge looks at the current instant: present or not, diff state, search match,
// hover neighbourhood, colour by kind/status/field and edge width by metric.
import type { LayoutResult } from '@timescope/common';
import { DiffState, type Diff } from '../model/diff';
import type { Graph } from '../model/graph';
import { edgeEnds } from '../model/edgeEnds';
import type { Presence } from '../model/presence';
import { edgeLabelOrder, statEdgeLabel } from './edgeLabels';
import { kindColor, StatusColor } from './palette';
import type { EdgeStyle, NodeStyle, RenderScene } from './scene';
import type { ColorBy, EdgeLabelFn, EdgeMetric } from './types';

/** What the styles are computed from: everything but the positions (they need not wait for the layout). */
export interface StyleInput {
  graph: Graph;
  presence: Presence;
  diff?: Diff;
  match?: Uint8Array;
  /** hovered or selected node index, -1 for none */
  focus: number;
  colorBy: ColorBy;
  edgeMetric: EdgeMetric;
  priority: Int32Array;
  /** per edge, a colour from its figures at the instant (error ratio over the threshold), overriding its own */
  edgeColors?: readonly (string | undefined)[];
  /** per edge, its label at the instant from the edge source's figures (model/edgeFigures.ts); wins over edgeLabel */
  edgeLabels?: readonly string[];
  /** the text on each edge (default: the chosen metric's value); other edge figures can be fed in here */
  edgeLabel?: EdgeLabelFn;
  /** `background` (optional) is the halo behind labels, so they stay readable over edges */
  theme: { text: string; box: string; edge: string; ring: string; background?: string };
}

/** The text on each edge: the figures' labels where the edge source has them, else the given or default one. */
function edgeLabelOf(input: StyleInput, graph: StyleInput['graph']): EdgeLabelFn {
  const figures = input.edgeLabels;
  if (figures) return (i) => figures[i] || undefined;
  return input.edgeLabel ?? statEdgeLabel(graph, input.edgeMetric);
}

/**
 * The distinct styles of one scene and the index of each. Keyed by a number packed from small parts (colour ids
 * and quantised figures), not by a string: an instant change at 10,000 nodes and 30,000 edges keys 40,000 styles,
 * and building and hashing that many template strings was most of its cost.
 */
class Styles<T extends object> {
  readonly list: T[] = [];
  private readonly keys = new Map<number, number>();
  private readonly colours = new Map<string, number>();
  /** a small id per colour string, part of the numeric key */
  colour(c: string): number {
    let k = this.colours.get(c);
    if (k === undefined) this.colours.set(c, (k = this.colours.size));
    return k;
  }
  /** the index of the style with this key, -1 when there is none yet */
  find(key: number): number {
    return this.keys.get(key) ?? -1;
  }
  add(key: number, style: T): number {
    this.keys.set(key, this.list.length);
    return this.list.push(style) - 1;
  }
}

/** alpha (0..1) as an integer key part */
const alphaKey = (a: number): number => Math.round(a * 100);

const widthCache = new WeakMap<Graph, Map<EdgeMetric, Float32Array>>();

/** Edge widths by metric, once per graph and metric (the same at every instant). */
function edgeWidths(graph: Graph, metric: EdgeMetric): Float32Array {
  let byMetric = widthCache.get(graph);
  if (!byMetric) widthCache.set(graph, (byMetric = new Map()));
  let w = byMetric.get(metric);
  if (!w) byMetric.set(metric, (w = computeEdgeWidths(graph, metric)));
  return w;
}

function computeEdgeWidths(graph: Graph, metric: EdgeMetric): Float32Array {
  const w = new Float32Array(graph.edges.length).fill(1.2);
  if (metric === 'thickness') {
    graph.edges.forEach((e, i) => (w[i] = Math.min(8, Math.max(1, e.thickness ?? 1.2))));
  } else if (metric === 'mainstat') {
    let max = 0;
    for (const e of graph.edges) if (typeof e.mainStat === 'number') max = Math.max(max, e.mainStat);
    if (max > 0) {
      graph.edges.forEach((e, i) => {
        if (typeof e.mainStat === 'number') w[i] = 1 + 5 * Math.sqrt(Math.max(0, e.mainStat) / max);
      });
    }
  }
  // Quantised so that edges share a handful of styles (one canvas path each).
  return w.map((v) => Math.round(v * 2) / 2);
}

interface Endpoints {
  edgeSource: Int32Array;
  edgeTarget: Int32Array;
  labels: string[];
  nodeIds: string[];
  edgeIds: string[];
  edgeOrder: Int32Array;
  /** the fill of each node by kind (colour by kind, the default), resolved once */
  kindFill: string[];
}

const endpointCache = new WeakMap<Graph, Endpoints>();

/** Edge ends by node index, node labels and ids: the same for every instant, so computed once per graph. */
function endpoints(graph: Graph): Endpoints {
  let c = endpointCache.get(graph);
  if (!c) {
    const ends = edgeEnds(graph);
    // (an end that is no node cannot happen with graphFromFrames, which makes one up; it would draw at node 0)
    const edgeSource = ends.source.map((v) => Math.max(0, v));
    const edgeTarget = ends.target.map((v) => Math.max(0, v));
    const byKind = new Map<string, string>();
    c = {
      edgeSource,
      edgeTarget,
      labels: graph.nodes.map((n) => n.title),
      nodeIds: graph.nodes.map((n) => n.id),
      edgeIds: graph.edges.map((e) => e.id),
      edgeOrder: edgeLabelOrder(graph),
      kindFill: graph.nodes.map((n) => {
        let f = byKind.get(n.kind);
        if (f === undefined) byKind.set(n.kind, (f = kindColor(n.kind)));
        return f;
      }),
    };
    endpointCache.set(graph, c);
  }
  return c;
}

/** The focused node and the nodes it has an edge with (hover highlights them), or undefined without a focus. */
export function neighbourhood(graph: Graph, focus: number): Set<number> | undefined {
  if (focus < 0 || focus >= graph.nodes.length) return undefined;
  const ends = edgeEnds(graph);
  const out = new Set<number>([focus]);
  for (let e = 0; e < ends.source.length; e++) {
    if (ends.source[e] === focus) out.add(ends.target[e]);
    if (ends.target[e] === focus) out.add(ends.source[e]);
  }
  return out;
}

/** The scene without positions: what each node and edge looks like at the instant. */
export type SceneStyles = Omit<RenderScene, 'x' | 'y' | 'boxes' | 'nodeBox'>;

/** The scene: styles at their positions. */
export function placeScene(styles: SceneStyles, layout: LayoutResult): RenderScene {
  return { ...styles, x: layout.x, y: layout.y, boxes: layout.boxes, nodeBox: layout.nodeBox };
}

/**
 * The styles of every node and edge. They do not depend on the positions, so the panel computes them while the
 * layout worker lays out a new graph, not after it.
 */
export function sceneStyles(input: StyleInput): SceneStyles {
  const { graph, presence, diff, match, focus, colorBy, theme } = input;
  const nodeStyles = new Styles<NodeStyle>();
  const edgeStyles = new Styles<EdgeStyle>();
  const n = graph.nodes.length;
  const m = graph.edges.length;
  const nodeStyle = new Int16Array(n).fill(-1);
  const edgeStyle = new Int16Array(m).fill(-1);
  const nodeState = new Uint8Array(n);
  const near = neighbourhood(graph, focus);
  const widths = edgeWidths(graph, input.edgeMetric);
  const ends = endpoints(graph);

  for (let i = 0; i < n; i++) {
    const d = diff ? diff.nodes[i] : presence.nodes[i] ? DiffState.unchanged : DiffState.none;
    if (d === DiffState.none) continue;
    nodeState[i] = d;
    let fill: string;
    let stroke: string;
    let dashed = false;
    let alpha = 1;
    if (diff) {
      if (d === DiffState.added) fill = StatusColor.added;
      else if (d === DiffState.removed) {
        fill = StatusColor.removed;
        dashed = true;
      } else {
        fill = StatusColor.unchanged;
        alpha = 0.45;
      }
    } else {
      const node = graph.nodes[i];
      fill = colorBy === 'field' && node.color ? node.color : ends.kindFill[i];
      if (colorBy === 'status' && node.status) fill = StatusColor[node.status];
    }
    stroke = fill;
    if (match && !match[i]) alpha = 0.15;
    if (near && !near.has(i)) alpha = Math.min(alpha, 0.2);
    const ring = i === focus ? 3 : dashed ? 2 : 0;
    if (i === focus) stroke = theme.ring;
    const key =
      (((nodeStyles.colour(fill) * 65536 + nodeStyles.colour(stroke)) * 2 + (dashed ? 1 : 0)) * 128 + alphaKey(alpha)) *
        8 +
      ring;
    const k = nodeStyles.find(key);
    nodeStyle[i] = k >= 0 ? k : nodeStyles.add(key, { fill, stroke, dashed, alpha, ring });
  }

  for (let i = 0; i < m; i++) {
    const d = diff ? diff.edges[i] : presence.edges[i] ? DiffState.unchanged : DiffState.none;
    if (d === DiffState.none) continue;
    const edge = graph.edges[i];
    let color = input.edgeColors?.[i] ?? edge.color ?? theme.edge;
    if (colorBy === 'status' && edge.status) color = StatusColor[edge.status];
    let dashed = false;
    let alpha = 0.8;
    let width = widths[i];
    if (diff) {
      if (d === DiffState.added) {
        color = StatusColor.added;
        width = Math.max(width, 2);
      } else if (d === DiffState.removed) {
        color = StatusColor.removed;
        dashed = true;
        width = Math.max(width, 2);
      } else {
        color = StatusColor.unchanged;
        alpha = 0.35;
      }
    }
    const a = ends.edgeSource[i];
    const b = ends.edgeTarget[i];
    if (match && !(match[a] && match[b])) alpha = 0.1;
    if (focus >= 0) {
      if (a === focus || b === focus) width = Math.max(width, 2.5);
      else alpha = Math.min(alpha, 0.12);
    }
    // widths are multiples of 0.5 (edgeWidths quantises them; the diff and focus minimums are too)
    const key =
      ((edgeStyles.colour(color) * 64 + Math.round(width * 2)) * 2 + (dashed ? 1 : 0)) * 128 + alphaKey(alpha);
    const k = edgeStyles.find(key);
    edgeStyle[i] = k >= 0 ? k : edgeStyles.add(key, { color, width, dashed, alpha });
  }

  return {
    nodeIds: ends.nodeIds,
    edgeIds: ends.edgeIds,
    labels: ends.labels,
    priority: input.priority,
    nodeStyle,
    nodeStyles: nodeStyles.list,
    nodeState,
    edgeSource: ends.edgeSource,
    edgeTarget: ends.edgeTarget,
    edgeStyle,
    edgeStyles: edgeStyles.list,
    edgeLabel: edgeLabelOf(input, graph),
    edgeOrder: ends.edgeOrder,
    text: theme.text,
    halo: theme.background,
    box: theme.box,
  };
}

/** Label priority lives with the label placement; re-exported for the panel. */
export { labelPriority } from './labels';
