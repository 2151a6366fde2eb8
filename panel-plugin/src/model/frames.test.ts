import type { DataFrame } from '@grafana/data';
import { frame } from '../testutil/frame';
import { from, shopFrames, step } from '../testutil/shop';
import { graphFromFrames } from './frames';
import { presenceAt } from './presence';
import { diffPresence } from './diff';

const shop = (): DataFrame[] => shopFrames({ detail__namespace: ['shop', 'shop', 'shop'] });

describe('graphFromFrames and presence', () => {
  it('reads Node Graph frames with our extra fields and the timeline', () => {
    const g = graphFromFrames(shop());
    expect(g.nodes.map((n) => n.title)).toEqual(['frontend', 'carts-v1', 'carts-v2']);
    expect(g.nodes[0].details).toEqual({ namespace: 'shop' });
    expect(g.edges).toHaveLength(2);
    expect(g.timeline?.meta.stepMs).toBe(step);
  });

  it('shows at each instant what the timeline says was there, between samples too', () => {
    const g = graphFromFrames(shop());
    const ids = (t: number) => g.nodes.filter((_, i) => presenceAt(g, t).nodes[i]).map((n) => n.id);
    expect(ids(from + 2 * step)).toEqual(['a', 'b']);
    expect(ids(from + 5 * step + 30_000)).toEqual(['a', 'b']);
    expect(ids(from + 6 * step)).toEqual(['a', 'c']);
    expect(presenceAt(g, from + 7 * step).edgeCount).toBe(1);
  });

  it('shows at the range’s end what appeared after the last grid instant (the datasource’s [to, to] row)', () => {
    // The demo's range starts at an arbitrary millisecond, so its end lies between two grid instants.
    const end = from + 3 * step + 20_000;
    const g = graphFromFrames([
      frame('nodes', { id: ['old', 'new'], title: ['old', 'new'] }),
      frame('edges', { id: ['old->new'], source: ['old'], target: ['new'] }),
      frame(
        'timeline',
        {
          id: ['old', 'new', 'old->new'],
          entity: ['node', 'node', 'edge'],
          start: [from, end, end],
          end: [from + 3 * step, end, end],
        },
        { custom: { stepMs: step, fromMs: from, toMs: end } },
      ),
    ]);
    const ids = (t: number) => g.nodes.filter((_, i) => presenceAt(g, t).nodes[i]).map((n) => n.id);
    expect(ids(end)).toEqual(['old', 'new']);
    expect(presenceAt(g, end).edgeCount).toBe(1);
    // before the end, the instant still snaps to the last grid instant, where only 'old' was seen
    expect(ids(end - 1)).toEqual(['old']);
  });

  it('diffs two instants: one pod replaced by another', () => {
    const g = graphFromFrames(shop());
    const d = diffPresence(presenceAt(g, from + 5 * step), presenceAt(g, from + 6 * step));
    expect(d.counts).toEqual({ addedNodes: 1, removedNodes: 1, addedEdges: 1, removedEdges: 1 });
  });

  it('adds what only the timeline knows (instant mode lists only the instant), with its attributes', () => {
    const [nodes, edges] = shop();
    const timeline = frame(
      'timeline',
      {
        id: ['a', 'b', 'gone', 'a->b', 'a->gone'],
        entity: ['node', 'node', 'node', 'edge', 'edge'],
        start: [from, from, from, from, from],
        end: [from + 10 * step, from + 10 * step, from + 3 * step, from + 10 * step, from + 3 * step],
        kind: ['workload', 'pod', 'pod', 'pod', 'pod'],
        title: ['frontend', 'carts-v1', 'payment-1', '', ''],
        parent: ['', 'a', 'a', '', ''],
        edgeSource: ['', '', '', 'a', 'a'],
        edgeTarget: ['', '', '', 'b', 'gone'],
      },
      { custom: { stepMs: step, fromMs: from, toMs: from + 10 * step } },
    );
    const g = graphFromFrames([nodes, edges, timeline]);
    const gone = g.nodes[g.index.get('gone')!];
    expect(gone).toMatchObject({ title: 'payment-1', kind: 'pod', parent: 'a' });
    expect(g.edges.find((e) => e.id === 'a->gone')).toMatchObject({ source: 'a', target: 'gone' });
    const ids = (t: number) => g.nodes.filter((_, i) => presenceAt(g, t).nodes[i]).map((n) => n.id);
    expect(ids(from + 2 * step)).toEqual(['a', 'b', 'gone']);
    expect(ids(from + 4 * step)).toEqual(['a', 'b']);
    expect(presenceAt(g, from + 2 * step).edgeCount).toBe(2);
  });

  it('draws edges-only results by making up the missing nodes', () => {
    const g = graphFromFrames([shop()[1]]);
    expect(g.nodes.map((n) => n.id).sort()).toEqual(['a', 'b', 'c']);
  });

  it("reads another datasource's Node Graph frames (Tempo's service graph: no names, no time fields)", () => {
    const meta = { preferredVisualisationType: 'nodeGraph' as const };
    const g = graphFromFrames([
      frame(
        'Nodes',
        {
          id: ['frontend', 'checkout'],
          title: ['frontend', 'checkout'],
          mainstat: [12.5, 3],
          secondarystat: [0.1, 0],
          arc__success: [0.9, 1],
          arc__failed: [0.1, 0],
          detail__service: ['frontend', 'checkout'],
        },
        meta,
      ),
      frame('Edges', { id: ['frontend_checkout'], source: ['frontend'], target: ['checkout'], mainstat: [42] }, meta),
    ]);
    expect(g.nodes.map((n) => [n.id, n.mainStat, n.details.service])).toEqual([
      ['frontend', 12.5, 'frontend'],
      ['checkout', 3, 'checkout'],
    ]);
    expect(g.edges).toMatchObject([{ id: 'frontend_checkout', source: 'frontend', target: 'checkout', mainStat: 42 }]);
    expect(g.timeline).toBeUndefined();
    expect(g.nodes.every((n) => n.firstSeen === undefined && n.kind === '')).toBe(true);
  });

  it('ignores frames that are not a graph', () => {
    const g = graphFromFrames([frame('A', { time: [1] })]);
    expect(g.nodes).toEqual([]);
  });
});
