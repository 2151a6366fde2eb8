import { graphFromFrames } from '../model/frames';
import type { Graph, GraphNode } from '../model/graph';
import { frame } from '../testutil/frame';
import { AUTO_GROUP_NODES, groupKey, layoutInput, resolveGrouping } from './groups';
import { filterHint } from './limits';

const node = (id: string, details: Record<string, string> = {}): GraphNode => ({
  id,
  title: id,
  subtitle: '',
  kind: id.split(':')[0],
  parent: '',
  status: '',
  details,
});

describe('groupKey', () => {
  it('groups Kubernetes nodes by the namespace in their id', () => {
    expect(groupKey(node('pod:shop/carts-1'), 'namespace')).toBe('shop');
    expect(groupKey(node('workload:shop/Deployment/carts'), 'namespace')).toBe('shop');
    expect(groupKey(node('workload:pay/payment-v2'), 'namespace')).toBe('pay');
    expect(groupKey(node('service:shop/carts'), 'namespace')).toBe('shop');
    expect(groupKey(node('namespace:shop'), 'namespace')).toBe('shop');
    expect(groupKey(node('host:node-1'), 'namespace')).toBe('');
  });

  it('groups host-level nodes by the hostname in their id', () => {
    expect(groupKey(node('host:node-1'), 'host')).toBe('node-1');
    expect(groupKey(node('process:node-1/carts[8082]'), 'host')).toBe('node-1');
    expect(groupKey(node('container:node-2/4f1c2a9b7d3e'), 'host')).toBe('node-2');
    expect(groupKey(node('pod:shop/carts-1'), 'host')).toBe('');
  });

  it('prefers the detail fields, and groups nothing when asked for none', () => {
    expect(groupKey(node('pod:shop/carts-1', { host: 'node-3' }), 'host')).toBe('node-3');
    expect(groupKey(node('pod:shop/carts-1'), 'none')).toBe('');
  });
});

describe('automatic grouping', () => {
  const graphOf = (ids: string[]): Graph => graphFromFrames([frame('nodes', { id: ids })]);

  it('groups nothing below the threshold, and by the key that splits a large graph best', () => {
    const small = graphOf(['process:h1/a', 'process:h2/b']);
    expect(resolveGrouping(small, 'auto')).toBe('none');
    const ids = Array.from({ length: AUTO_GROUP_NODES }, (_, i) => `process:host-${i % 20}/p-${i}`);
    expect(resolveGrouping(graphOf(ids), 'auto')).toBe('host');
    const pods = Array.from({ length: AUTO_GROUP_NODES }, (_, i) => `pod:ns-${i % 7}/p-${i}`);
    expect(resolveGrouping(graphOf(pods), 'auto')).toBe('namespace');
    // one namespace holding everything is no grouping
    const one = Array.from({ length: AUTO_GROUP_NODES }, (_, i) => `pod:shop/p-${i}`);
    expect(resolveGrouping(graphOf(one), 'auto')).toBe('none');
    expect(resolveGrouping(small, 'host')).toBe('host');
  });

  it('groups by workload: a workload with its pods, named without the controller kind', () => {
    const g = graphFromFrames([
      frame('nodes', {
        id: ['workload:shop/Deployment/carts', 'pod:shop/carts-1', 'pod:shop/x'],
        parent: ['', 'workload:shop/Deployment/carts', ''],
      }),
    ]);
    expect(groupKey(g.nodes[1], 'workload')).toBe('workload:shop/Deployment/carts');
    const input = layoutInput(g, 'layered', 'workload');
    expect(Array.from(input.groups)).toEqual([0, 0, -1]);
    expect(input.groupNames).toEqual(['shop/carts']);
  });
});

describe('the node limit', () => {
  it('names the filter that would bring the graph under it', () => {
    const ids = Array.from({ length: 30 }, (_, i) => `pod:ns-${i % 3}/p-${i}`);
    const g = graphFromFrames([frame('nodes', { id: [...ids, 'host:h1'] })]);
    expect(filterHint(g, 20)).toBe(
      'Filter the query by namespace: each namespace has at most 11 nodes (the largest: namespace = ns-0).',
    );
    expect(filterHint(g, 5)).toMatch(/^Filter the query by name/);
  });
});
