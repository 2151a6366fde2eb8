// What the hover tooltip says about a node or an edge: its name and main stats, as plain strings (the tooltip
// renders them as text nodes, never as HTML).
import { DiffState, type Diff } from './diff';
import type { Graph } from './graph';
import type { Presence } from './presence';

export interface TooltipText {
  entity: 'node' | 'edge';
  id: string;
  title: string;
  lines: string[];
}

const DIFF_WORDS = ['', 'added since the baseline', 'removed since the baseline', 'unchanged since the baseline'];

function stat(name: string | undefined, fallback: string, v: number | string | undefined): string[] {
  if (v === undefined || v === '') return [];
  const text = typeof v === 'number' ? String(Math.round(v * 100) / 100) : v;
  return [`${name || fallback}: ${text}`];
}

export function nodeTooltip(graph: Graph, i: number, presence: Presence, diff?: Diff): TooltipText {
  const n = graph.nodes[i];
  const names = graph.statNames ?? {};
  let inbound = 0;
  let outbound = 0;
  graph.edges.forEach((e, k) => {
    if (!presence.edges[k]) return;
    if (e.target === n.id) inbound++;
    if (e.source === n.id) outbound++;
  });
  const lines = [
    [n.kind, n.subtitle && n.subtitle !== n.kind ? n.subtitle : ''].filter(Boolean).join(' · '),
    ...stat(names.nodeMain, 'main stat', n.mainStat),
    ...stat(names.nodeSecondary, 'secondary stat', n.secondaryStat),
    `connections now: ${inbound} in, ${outbound} out`,
    diff ? DIFF_WORDS[diff.nodes[i]] : '',
  ].filter(Boolean);
  return { entity: 'node', id: n.id, title: n.title, lines };
}

export function edgeTooltip(graph: Graph, i: number, diff?: Diff): TooltipText {
  const e = graph.edges[i];
  const name = (id: string) => graph.nodes[graph.index.get(id) ?? -1]?.title ?? id;
  const details = Object.entries(e.details)
    .filter(([, v]) => v)
    .slice(0, 4)
    .map(([k, v]) => `${k}: ${v}`);
  const lines = [
    e.kind,
    ...stat(graph.statNames?.edgeMain, 'main stat', e.mainStat),
    ...details,
    diff && diff.edges[i] !== DiffState.none ? DIFF_WORDS[diff.edges[i]] : '',
  ].filter(Boolean);
  return { entity: 'edge', id: e.id, title: `${name(e.source)} → ${name(e.target)}`, lines };
}
