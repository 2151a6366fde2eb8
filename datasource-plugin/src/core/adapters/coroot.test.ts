// Coroot's ends: the IP of a destination address, whatever its form, and the pod of a container id.
import { corootContainerEnd, hostOf } from './coroot';

describe('hostOf', () => {
  it('takes the IP of ip:port and of [v6]:port', () => {
    expect(hostOf('10.0.0.7:8080')).toBe('10.0.0.7');
    expect(hostOf('[fd00::1:7]:443')).toBe('fd00::1:7');
    expect(hostOf('[::1]:80')).toBe('::1');
  });

  it('keeps a bare address as it is, a bare v6 one (its colons are not a port) and one in brackets too', () => {
    expect(hostOf('10.0.0.7')).toBe('10.0.0.7');
    expect(hostOf('fd00::1:7')).toBe('fd00::1:7');
    expect(hostOf('[fd00::1:7]')).toBe('fd00::1:7');
  });
});

describe('corootContainerEnd', () => {
  it('names the pod of a Kubernetes container id, and none for other runtimes', () => {
    expect(corootContainerEnd('/k8s/shop/carts-7d9f/carts')).toBe('pod:shop/carts-7d9f');
    expect(corootContainerEnd('/docker/3f2a')).toBeUndefined();
  });
});
