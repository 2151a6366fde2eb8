// The scene as data, for the browser tests: the instant, mode, diff and selection, and every drawn node and edge
// with its position and state. Written to the canvas' data-scene attribute only on pages that ask for it.
import type { LayoutResult } from '@timescope/common';
import { DiffState, type Diff } from '../model/diff';
import type { Graph } from '../model/graph';
import type { Presence } from '../model/presence';
import type { Mode } from '../options';
import { neighbourhood } from './styles';

export interface SceneInput {
  graph: Graph;
  layout?: LayoutResult;
  presence: Presence;
  diff?: Diff;
  match?: Uint8Array;
  /** hovered or selected node index, -1 for none */
  focus: number;
  instant: number;
  instantText: string;
  timeZone: string;
  mode: Mode;
  from: number;
  to: number;
  stepMs: number;
  baseline: number | null;
  selected: string | null;
}

export interface DescribedNode {
  id: string;
  title: string;
  kind: string;
  x: number;
  y: number;
  /** the diff state with a baseline, else the datasource's status or 'present' */
  status: string;
  /** set when a search is on and the node does not match */
  dimmed?: true;
  /** set when another node is focused and this one is not its neighbour */
  faded?: true;
}

export interface DescribedEdge {
  id: string;
  source: string;
  target: string;
  status: string;
}

export interface SceneDescription {
  instant: number;
  instantText: string;
  timeZone: string;
  mode: Mode;
  from: number;
  to: number;
  stepMs: number;
  baseline: number | null;
  counts: Diff['counts'] | null;
  selected: string | null;
  focus: string | null;
  nodes: DescribedNode[];
  edges: DescribedEdge[];
}

const DIFF_NAMES = ['', 'added', 'removed', 'unchanged'] as const;

/** Drawn nodes only: present at the instant (or in the diff); none before the layout is known. */
function describeNodes(s: SceneInput): DescribedNode[] {
  const { graph, layout, presence, diff, match } = s;
  if (!layout) return [];
  const near = neighbourhood(graph, s.focus);
  return graph.nodes.flatMap((n, i) => {
    const d = diff ? diff.nodes[i] : presence.nodes[i] ? DiffState.unchanged : DiffState.none;
    if (d === DiffState.none) return [];
    const node: DescribedNode = {
      id: n.id,
      title: n.title,
      kind: n.kind,
      x: layout.x[i],
      y: layout.y[i],
      status: diff ? DIFF_NAMES[d] : n.status || 'present',
    };
    if (match && !match[i]) node.dimmed = true;
    if (near && !near.has(i)) node.faded = true;
    return [node];
  });
}

function describeEdges({ graph, presence, diff }: SceneInput): DescribedEdge[] {
  return graph.edges.flatMap((e, i) => {
    const d = diff ? diff.edges[i] : presence.edges[i] ? DiffState.unchanged : DiffState.none;
    if (d === DiffState.none) return [];
    return [{ id: e.id, source: e.source, target: e.target, status: diff ? DIFF_NAMES[d] : e.status || 'present' }];
  });
}

export function describeScene(s: SceneInput): SceneDescription {
  return {
    instant: s.instant,
    instantText: s.instantText,
    timeZone: s.timeZone,
    mode: s.mode,
    from: s.from,
    to: s.to,
    stepMs: s.stepMs,
    baseline: s.baseline,
    counts: s.diff?.counts ?? null,
    selected: s.selected,
    focus: s.focus >= 0 ? s.graph.nodes[s.focus].id : null,
    nodes: describeNodes(s),
    edges: describeEdges(s),
  };
}
