import { kindOfNodeId, nodeId, processKey } from './metrics';

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
