import { diffPresence } from '../model/diff';
import type { Graph } from '../model/graph';
import { presenceAll, presenceAt } from '../model/presence';
import { matchNodes, parseSearch } from '../model/search';
import { testScene as scene } from '../testutil/scene';
import { from, shopGraph, step } from '../testutil/shop';
import { kindColor, StatusColor } from './palette';
import type { RenderScene } from './scene';
import { labelPriority, neighbourhood } from './styles';

const nodeStyleOf = (s: RenderScene, i: number) => s.nodeStyles[s.nodeStyle[i]];
const edgeStyleOf = (s: RenderScene, i: number) => s.edgeStyles[s.edgeStyle[i]];

describe('the render scene', () => {
  it('draws only what is present at the instant, coloured by kind', () => {
    const graph = shopGraph();
    const s = scene(graph, { presence: presenceAt(graph, from + 2 * step) });
    expect(Array.from(s.nodeStyle).map((k) => k >= 0)).toEqual([true, true, false]);
    expect(Array.from(s.edgeStyle).map((k) => k >= 0)).toEqual([true, false]);
    expect(nodeStyleOf(s, 0)).toEqual({
      fill: kindColor('workload'),
      stroke: kindColor('workload'),
      dashed: false,
      alpha: 1,
      ring: 0,
    });
    expect(nodeStyleOf(s, 1).fill).toBe(kindColor('pod'));
    expect(edgeStyleOf(s, 0)).toEqual({ color: '#edge', width: 1, dashed: false, alpha: 0.8 });
    expect(s.labels).toEqual(['frontend', 'carts-v1', 'carts-v2']);
    expect([s.text, s.box]).toEqual(['#text', '#box']);
  });

  it('nodes that look alike share one style', () => {
    const graph = shopGraph();
    const s = scene(graph);
    expect(s.nodeStyle[1]).toBe(s.nodeStyle[2]);
    expect(s.nodeStyles).toHaveLength(2);
    expect(s.edgeStyles).toHaveLength(1);
  });

  it('with a diff: added green, removed red and dashed, unchanged grey and faint', () => {
    const graph = shopGraph();
    const after = presenceAt(graph, from + 8 * step);
    const s = scene(graph, { presence: after, diff: diffPresence(presenceAt(graph, from), after) });
    expect(nodeStyleOf(s, 0)).toMatchObject({ fill: StatusColor.unchanged, alpha: 0.45, dashed: false });
    expect(nodeStyleOf(s, 1)).toMatchObject({ fill: StatusColor.removed, dashed: true, ring: 2 });
    expect(nodeStyleOf(s, 2)).toMatchObject({ fill: StatusColor.added, dashed: false, alpha: 1 });
    expect(edgeStyleOf(s, 0)).toMatchObject({ color: StatusColor.removed, dashed: true, width: 2 });
    expect(edgeStyleOf(s, 1)).toMatchObject({ color: StatusColor.added, dashed: false, width: 2 });
  });

  it('dims what the search does not match, and edges unless both ends match', () => {
    const graph = shopGraph();
    const match = matchNodes(graph.nodes, parseSearch('carts-v1').matcher);
    const s = scene(graph, { match });
    expect([0, 1, 2].map((i) => nodeStyleOf(s, i).alpha)).toEqual([0.15, 1, 0.15]);
    expect(edgeStyleOf(s, 0).alpha).toBe(0.1);
  });

  it('rings the focused node, fades the others and thickens its edges', () => {
    const graph = shopGraph();
    graph.edges.pop();
    const s = scene(graph, { focus: 1, presence: { ...presenceAll(graph), edges: Uint8Array.of(1) } });
    expect(nodeStyleOf(s, 1)).toMatchObject({ stroke: '#ring', ring: 3, alpha: 1 });
    expect(nodeStyleOf(s, 0).alpha).toBe(1);
    expect(nodeStyleOf(s, 2).alpha).toBe(0.2);
    expect(edgeStyleOf(s, 0).width).toBe(2.5);
  });

  it('colours by status or by the frame colour when asked', () => {
    const graph = shopGraph();
    graph.nodes[1].status = 'removed';
    graph.nodes[2].color = '#123456';
    expect(nodeStyleOf(scene(graph, { colorBy: 'status' }), 1).fill).toBe(StatusColor.removed);
    expect(nodeStyleOf(scene(graph, { colorBy: 'field' }), 2).fill).toBe('#123456');
    expect(nodeStyleOf(scene(graph, { colorBy: 'kind' }), 2).fill).toBe(kindColor('pod'));
  });

  it('edge width follows the main stat (busiest widest) or the thickness field, in half pixels', () => {
    const graph = shopGraph();
    graph.edges[0].mainStat = 100;
    graph.edges[1].mainStat = 25;
    const byStat = scene(graph, { edgeMetric: 'mainstat' });
    expect([edgeStyleOf(byStat, 0).width, edgeStyleOf(byStat, 1).width]).toEqual([6, 3.5]);
    graph.edges[0].thickness = 20;
    graph.edges[1].thickness = 0.2;
    const byThickness = scene(graph, { edgeMetric: 'thickness' });
    expect([edgeStyleOf(byThickness, 0).width, edgeStyleOf(byThickness, 1).width]).toEqual([8, 1]);
  });
});

describe('neighbourhood', () => {
  it('is the focused node and the nodes it has an edge with', () => {
    const graph = shopGraph();
    expect(neighbourhood(graph, -1)).toBeUndefined();
    expect([...(neighbourhood(graph, 0) ?? [])].sort()).toEqual([0, 1, 2]);
    expect([...(neighbourhood(graph, 2) ?? [])].sort()).toEqual([0, 2]);
  });
});

describe('labelPriority', () => {
  it('puts the best connected nodes first, ties in graph order', () => {
    expect(Array.from(labelPriority(shopGraph()))).toEqual([0, 1, 2]);
    const shop = shopGraph();
    // c gains two edges: it ties with a (3 each) and passes b (2); a graph is not changed once built, so a new one
    const e = shop.edges[0];
    const graph: Graph = {
      ...shop,
      edges: [
        ...shop.edges,
        { ...e, id: 'c->b', source: 'c', target: 'b' },
        { ...e, id: 'c->a', source: 'c', target: 'a' },
      ],
    };
    expect(Array.from(labelPriority(graph))).toEqual([0, 2, 1]);
  });
});

it('the scene keeps the layout positions as they are', () => {
  const graph = shopGraph();
  const s = scene(graph);
  expect(Array.from(s.x)).toEqual([0, 100, 200]);
  expect(Array.from(s.edgeSource)).toEqual([0, 0]);
  expect(Array.from(s.edgeTarget)).toEqual([1, 2]);
});
