import type { GraphNode } from '../model/graph';
import { groupKey } from './groups';

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
