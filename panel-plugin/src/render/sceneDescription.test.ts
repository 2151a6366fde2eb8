import { diffPresence } from '../model/diff';
import { presenceAt } from '../model/presence';
import { matchNodes, parseSearch } from '../model/search';
import { from, lineLayout, shopGraph, step, to } from '../testutil/shop';
import { describeScene, type SceneInput } from './sceneDescription';

function input(instant: number, extra: Partial<SceneInput> = {}): SceneInput {
  const graph = shopGraph();
  return {
    graph,
    layout: lineLayout(graph),
    presence: presenceAt(graph, instant),
    focus: -1,
    instant,
    instantText: 'the instant',
    timeZone: 'UTC',
    mode: 'travel',
    from,
    to,
    stepMs: step,
    baseline: null,
    selected: null,
    ...extra,
  };
}

const ids = (list: Array<{ id: string }>) => list.map((x) => x.id);

describe('describeScene', () => {
  it('describes the instant and controls as given', () => {
    const s = describeScene(input(from + 2 * step, { mode: 'paused', selected: 'b' }));
    expect(s).toMatchObject({
      instant: from + 2 * step,
      instantText: 'the instant',
      timeZone: 'UTC',
      mode: 'paused',
      from,
      to,
      stepMs: step,
      baseline: null,
      counts: null,
      selected: 'b',
      focus: null,
    });
  });

  it('lists what is present at the instant, with positions', () => {
    const early = describeScene(input(from + 2 * step));
    expect(early.nodes).toEqual([
      { id: 'a', title: 'frontend', kind: 'workload', x: 0, y: 0, status: 'present' },
      { id: 'b', title: 'carts-v1', kind: 'pod', x: 100, y: 10, status: 'present' },
    ]);
    expect(early.edges).toEqual([{ id: 'a->b', source: 'a', target: 'b', status: 'present' }]);
    const late = describeScene(input(from + 8 * step));
    expect(ids(late.nodes)).toEqual(['a', 'c']);
    expect(ids(late.edges)).toEqual(['a->c']);
  });

  it('lists no nodes before the layout is known, but the edges already', () => {
    const s = describeScene(input(from + 2 * step, { layout: undefined }));
    expect(s.nodes).toEqual([]);
    expect(ids(s.edges)).toEqual(['a->b']);
  });

  it('with a baseline, gives each node and edge its diff state and the counts', () => {
    const base = input(from + 8 * step, { baseline: from });
    const diff = diffPresence(presenceAt(base.graph, from), base.presence);
    const s = describeScene({ ...base, diff });
    expect(s.nodes.map((n) => [n.id, n.status])).toEqual([
      ['a', 'unchanged'],
      ['b', 'removed'],
      ['c', 'added'],
    ]);
    expect(s.edges.map((e) => [e.id, e.status])).toEqual([
      ['a->b', 'removed'],
      ['a->c', 'added'],
    ]);
    expect(s.counts).toEqual({ addedNodes: 1, removedNodes: 1, addedEdges: 1, removedEdges: 1 });
    expect(s.baseline).toBe(from);
  });

  it('marks what the search does not match as dimmed', () => {
    const base = input(from + 2 * step);
    const match = matchNodes(base.graph.nodes, parseSearch('carts').matcher);
    const s = describeScene({ ...base, match });
    expect(s.nodes.map((n) => [n.id, n.dimmed ?? false])).toEqual([
      ['a', true],
      ['b', false],
    ]);
  });

  it('names the focused node and fades what is not its neighbour', () => {
    const graph = shopGraph();
    graph.edges.pop(); // c has no edge now
    const everything = { nodes: Uint8Array.of(1, 1, 1), edges: Uint8Array.of(1), nodeCount: 3, edgeCount: 1 };
    const s = describeScene({ ...input(to), graph, presence: everything, focus: 1 });
    expect(s.focus).toBe('b');
    expect(s.nodes.map((n) => [n.id, n.faded ?? false])).toEqual([
      ['a', false],
      ['b', false],
      ['c', true],
    ]);
  });
});
