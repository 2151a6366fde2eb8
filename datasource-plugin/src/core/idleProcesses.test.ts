import { hideIdleProcesses, idleNotice } from './idleProcesses';
import type { TopoEdge, TopoNode, Topology } from './topology';
import type { TopologyRequest } from './queryPlan';

function node(id: string, kind: string, parent = ''): TopoNode {
  return {
    id,
    kind,
    title: id,
    subtitle: '',
    parent,
    group: '',
    labels: {},
    intervals: [[0, 10]],
    at: new Set(['to']),
  };
}

function edge(source: string, target: string): TopoEdge {
  return { id: `${source}>${target}`, source, target, kind: 'process', intervals: [[0, 5]], at: new Map() };
}

function topology(view: string, nodes: TopoNode[], edges: TopoEdge[]): Topology {
  const request = { view } as unknown as TopologyRequest;
  return { request, grid: { fromMs: 0, toMs: 10, stepMs: 1 } as Topology['grid'], nodes, edges, warnings: [] };
}

describe('hideIdleProcesses', () => {
  const nodes = [
    node('host:a', 'host'),
    node('host:b', 'host'),
    node('p:orders', 'process', 'host:a'),
    node('p:payment', 'process', 'host:a'),
    node('p:bash', 'process', 'host:a'),
    node('p:sleep', 'process', 'host:b'),
    node('ext:1.2.3.4', 'external'),
  ];
  const edges = [edge('p:orders', 'p:payment'), edge('p:payment', 'ext:1.2.3.4')];

  it('keeps the processes with an edge in the range, their hosts and the edges; counts the rest', () => {
    const r = hideIdleProcesses(topology('process', nodes, edges));
    expect(r.hidden).toBe(2);
    expect(r.topology.nodes.map((n) => n.id)).toEqual(['host:a', 'p:orders', 'p:payment', 'ext:1.2.3.4']);
    expect(r.topology.edges).toHaveLength(2);
  });

  it('shows everything when asked, and never filters another view', () => {
    expect(hideIdleProcesses(topology('process', nodes, edges), 'show').topology.nodes).toHaveLength(7);
    expect(hideIdleProcesses(topology('pod', nodes, edges)).hidden).toBe(0);
  });

  it('says how many are hidden and how to show them', () => {
    expect(idleNotice(1)).toMatch(/^1 process without a connection is hidden/);
    expect(idleNotice(41)).toMatch(/^41 processes without a connection are hidden .*show/);
  });
});
