import {
  edgeId,
  hostOfNodeId,
  kindOfNodeId,
  namespaceOfNodeId,
  nodeId,
  nodeIdBody,
  parseEdgeId,
  parseNodeId,
  processKey,
  type ParsedNodeId,
} from './metrics';

describe('node identity', () => {
  it('keys a process by name and sorted, distinct listening ports', () => {
    expect(processKey('catalogue', [8081])).toBe('catalogue[8081]');
    expect(processKey('envoy', [9901, 80, 80])).toBe('envoy[80,9901]');
    expect(processKey('loadgen', [])).toBe('loadgen');
  });

  it('builds ids whose kind can be read back', () => {
    expect(nodeId.process('node-1', 'carts[8082]')).toBe('process:node-1/carts[8082]');
    expect(nodeId.container('h', '4f1c2a9b7d3e0000aaaa')).toBe('container:h/4f1c2a9b7d3e');
    expect(kindOfNodeId(nodeId.workload('shop', 'Deployment', 'carts'))).toBe('workload');
  });
});

describe('parseNodeId', () => {
  // names from outside: slashes, colons, arrows, quotes and non-ASCII letters must survive the round trip
  const odd = 'we/ird:na"me->ü日本';
  const cases: Array<[string, string, ParsedNodeId]> = [
    ['host', nodeId.host(`node-1${odd}`), { kind: 'host', host: `node-1${odd}` }],
    ['process', nodeId.process('node-1', `py ${odd}[80]`), { kind: 'process', host: 'node-1', key: `py ${odd}[80]` }],
    [
      'process in a container',
      nodeId.process('node-1', 'web[80]@4f1c2a9b7d3e'),
      { kind: 'process', host: 'node-1', key: 'web[80]@4f1c2a9b7d3e' },
    ],
    [
      'container',
      nodeId.container('node-1', '4f1c2a9b7d3e0000aaaa'),
      { kind: 'container', host: 'node-1', containerId: '4f1c2a9b7d3e' },
    ],
    ['pod', nodeId.pod('shop', `carts-${odd}`), { kind: 'pod', namespace: 'shop', name: `carts-${odd}` }],
    [
      'workload',
      nodeId.workload('shop', 'Deployment', odd),
      { kind: 'workload', namespace: 'shop', workloadKind: 'Deployment', name: odd },
    ],
    [
      'workload without kind (Istio)',
      nodeId.workloadWithoutKind('shop', 'ca:rts-ü'),
      { kind: 'workload', namespace: 'shop', workloadKind: '', name: 'ca:rts-ü' },
    ],
    ['service', nodeId.service('shop', odd), { kind: 'service', namespace: 'shop', name: odd }],
    [
      'service without namespace (Tempo)',
      nodeId.serviceWithoutNamespace('cart"s:ü'),
      { kind: 'service', namespace: '', name: 'cart"s:ü' },
    ],
    ['namespace', nodeId.namespace('shop-ü'), { kind: 'namespace', name: 'shop-ü' }],
    ['external IPv4', nodeId.external('203.0.113.7'), { kind: 'external', address: '203.0.113.7' }],
    ['external IPv6', nodeId.external('2001:db8::1'), { kind: 'external', address: '2001:db8::1' }],
  ];

  it.each(cases)('reads back a %s id', (_, id, parsed) => {
    expect(parseNodeId(id)).toEqual(parsed);
    expect(kindOfNodeId(id)).toBe(parsed.kind);
  });

  it('says what it cannot read instead of throwing', () => {
    expect(parseNodeId('')).toEqual({ kind: 'unknown', prefix: '', id: '' });
    expect(parseNodeId('frontend')).toEqual({ kind: 'unknown', prefix: '', id: 'frontend' });
    expect(parseNodeId('tempo:frontend')).toEqual({ kind: 'unknown', prefix: 'tempo', id: 'tempo:frontend' });
    expect(parseNodeId('pod:no-namespace')).toEqual({ kind: 'unknown', prefix: 'pod', id: 'pod:no-namespace' });
    expect(kindOfNodeId('pod:no-namespace')).toBe('pod');
  });

  it('gives the body, namespace and host an id carries', () => {
    expect(nodeIdBody('workload:shop/Deployment/carts')).toBe('shop/Deployment/carts');
    expect(nodeIdBody('external:2001:db8::1')).toBe('2001:db8::1');
    expect(nodeIdBody('frontend')).toBe('frontend');
    expect(namespaceOfNodeId('pod:shop/carts-1')).toBe('shop');
    expect(namespaceOfNodeId('namespace:shop')).toBe('shop');
    expect(namespaceOfNodeId('service:frontend')).toBe('');
    expect(namespaceOfNodeId('host:node-1')).toBe('');
    expect(hostOfNodeId('container:node-1/4f1c2a9b7d3e')).toBe('node-1');
    expect(hostOfNodeId('pod:shop/carts-1')).toBe('');
  });
});

describe('edge ids', () => {
  it.each(cases())('round-trip %s -> %s', (source, target) => {
    expect(parseEdgeId(edgeId(source, target))).toEqual({ source, target });
  });

  function cases(): Array<[string, string]> {
    return [
      ['service:shop/orders', 'service:shop/payment'],
      [nodeId.process('h', 'a->b[80]'), nodeId.process('h', 'c/d:ü')],
      [nodeId.external('2001:db8::1'), nodeId.pod('shop', 'x')],
    ];
  }

  it('is undefined for what is not an edge id', () => {
    expect(parseEdgeId('service:shop/orders')).toBeUndefined();
  });
});
