// Node Graph fails on an edge whose end is not in the nodes frame. A topology can hold one (a process whose _info
// series ended while a connection series is still within the lookback): the edges frame then leaves it out.
import { topologyFrames } from './dataFrames';
import { withKnownEnds } from './edgeEnds';
import type { TopoEdge, TopoNode, Topology } from './topology';

const grid = { fromMs: 0, toMs: 600_000, stepMs: 60_000 };
const node = (id: string, at: string[]): TopoNode => ({
  id,
  kind: 'process',
  title: id,
  subtitle: '',
  parent: '',
  group: '',
  labels: { node: id },
  intervals: at.includes('at') ? [[0, 600_000]] : [[0, 120_000]],
  at: new Set(at),
});
const edge = (source: string, target: string): TopoEdge => ({
  id: `${source}->${target}`,
  source,
  target,
  kind: 'process',
  intervals: [[0, 600_000]],
  at: new Map([['at', 1]]),
});
const topology: Topology = {
  request: {
    view: 'process',
    mode: 'instant',
    filters: {},
    groupBy: 'none',
    edgeSource: 'timescope',
    fromMs: grid.fromMs,
    toMs: grid.toMs,
    stepMs: grid.stepMs,
    scrapeIntervalMs: 15_000,
  },
  grid,
  nodes: [node('a', ['at']), node('b', ['at']), node('gone', [])],
  edges: [edge('a', 'b'), edge('a', 'gone'), edge('gone', 'b')],
  warnings: [],
};

const values = (f: { fields: { name: string; values: unknown[] }[] }, name: string): unknown[] =>
  f.fields.find((x) => x.name === name)?.values ?? [];

it('leaves out the edges whose end is not a node at the instant, and names them', () => {
  const [nodes, edges] = topologyFrames(topology, 'A');
  expect(values(nodes, 'id')).toEqual(['a', 'b']);
  const r = withKnownEnds(nodes, edges);
  expect(r.dropped).toEqual(['a->gone', 'gone->b']);
  expect(values(r.edges, 'id')).toEqual(['a->b']);
  expect(r.edges.length).toBe(1);
  for (const f of r.edges.fields) expect(f.values).toHaveLength(1);
});

it('hands the edges frame on as it is when every end is a node', () => {
  const t = { ...topology, edges: [edge('a', 'b')] };
  const [nodes, edges] = topologyFrames(t, 'A');
  const r = withKnownEnds(nodes, edges);
  expect(r.dropped).toEqual([]);
  expect(r.edges).toBe(edges);
});

it('the timeline frame has no source or target field, so Node Graph does not take it for edges', () => {
  const timeline = topologyFrames(topology, 'A')[2];
  const names = timeline.fields.map((f) => f.name);
  expect(names).not.toContain('source');
  expect(names).not.toContain('target');
  expect(values(timeline, 'edgeSource')).toContain('gone');
});
