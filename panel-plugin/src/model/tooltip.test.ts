import { frame } from '../testutil/frame';
import { from, shopGraph, step } from '../testutil/shop';
import { diffPresence } from './diff';
import { graphFromFrames } from './frames';
import { presenceAt } from './presence';
import { edgeTooltip, nodeTooltip } from './tooltip';

describe('tooltip text', () => {
  it("names a node and gives its stats under the datasource's names, and its connections now", () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const nodes = frame('nodes', {
      id: ['a', 'b'],
      title: [hostile, 'catalogue'],
      subtitle: ['shop', ''],
      kind: ['pod', 'pod'],
      mainstat: [3, 1],
    });
    nodes.fields[4].config = { displayName: 'Inbound edges' };
    const edges = frame('edges', {
      id: ['a->b'],
      source: ['a'],
      target: ['b'],
      mainstat: [2.5],
      detail__port: ['8081'],
    });
    edges.fields[3].config = { displayName: 'Connections' };
    const g = graphFromFrames([nodes, edges]);
    const all = { nodes: Uint8Array.of(1, 1), edges: Uint8Array.of(1), nodeCount: 2, edgeCount: 1 };
    expect(nodeTooltip(g, 0, all)).toEqual({
      entity: 'node',
      id: 'a',
      title: hostile,
      lines: ['pod · shop', 'Inbound edges: 3', 'connections now: 0 in, 1 out'],
    });
    expect(edgeTooltip(g, 0)).toEqual({
      entity: 'edge',
      id: 'a->b',
      title: `${hostile} → catalogue`,
      lines: ['Connections: 2.5', 'port: 8081'],
    });
  });

  it('says what the diff did to the node or edge', () => {
    const g = shopGraph();
    const d = diffPresence(presenceAt(g, from), presenceAt(g, from + 7 * step));
    const now = presenceAt(g, from + 7 * step);
    expect(nodeTooltip(g, 2, now, d).lines).toContain('added since the baseline');
    expect(nodeTooltip(g, 1, now, d).lines).toContain('removed since the baseline');
    expect(edgeTooltip(g, 0, d).lines).toContain('removed since the baseline');
    expect(nodeTooltip(g, 0, now).lines).toContain('connections now: 0 in, 1 out');
  });
});
