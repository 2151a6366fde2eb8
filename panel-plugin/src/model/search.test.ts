import type { GraphNode } from './graph';
import { matchNodes, parseSearch } from './search';

const node = (id: string, kind: string, details: Record<string, string> = {}): GraphNode => ({
  id,
  title: id.split('/').pop() ?? id,
  subtitle: '',
  kind,
  parent: '',
  status: '',
  details,
});

const nodes = [
  node('pod:shop/carts-7d9f', 'pod', { namespace: 'shop' }),
  node('pod:db/postgres-0', 'pod', { namespace: 'db' }),
  node('workload:shop/Deployment/carts', 'workload', { namespace: 'shop' }),
];

const hits = (q: string) => {
  const m = matchNodes(nodes, parseSearch(q).matcher);
  return m ? nodes.filter((_, i) => m[i]).map((n) => n.id) : 'all';
};

describe('search', () => {
  it('matches free text anywhere in id, name and details', () => {
    expect(hits('carts')).toEqual(['pod:shop/carts-7d9f', 'workload:shop/Deployment/carts']);
  });
  it('matches key:value on kind and detail fields', () => {
    expect(hits('kind:pod namespace:shop')).toEqual(['pod:shop/carts-7d9f']);
  });
  it('matches a /regex/', () => {
    expect(hits('/^pod:.*-0$/')).toEqual(['pod:db/postgres-0']);
  });
  it('reports a bad regex instead of throwing', () => {
    expect(parseSearch('/(/').error).toMatch(/invalid regex/);
  });
  it('an empty box dims nothing', () => {
    expect(hits('  ')).toBe('all');
  });
});
