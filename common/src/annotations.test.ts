import { deployTags, parseDeployTags, type DeployTagValues } from './annotations';

describe('deploy tags', () => {
  const hostile: DeployTagValues = {
    namespace: 'shop',
    workload: 'carts,orders',
    kind: 'Deployment',
    revision: 'a:b:c',
    source: '"quoted" 100%25',
    status: '<script>alert(1)</script>',
    url: 'https://git.example/c/abc?a=1&b=2,3',
  };

  it('writes one key:value tag per value, in a fixed order', () => {
    expect(deployTags({ source: 'github', namespace: 'shop', workload: 'carts' })).toEqual([
      'namespace:shop',
      'workload:carts',
      'source:github',
    ]);
    expect(deployTags({ namespace: 'shop', workload: '' })).toEqual(['namespace:shop']);
  });

  it('reads back hostile values from the array and from the comma-joined string', () => {
    const tags = deployTags(hostile);
    expect(tags.every((t) => !t.includes(','))).toBe(true);
    expect(parseDeployTags(tags)).toEqual(hostile);
    expect(parseDeployTags(['deploy', ...tags, 'timescope'].join(','))).toEqual(hostile);
  });

  it('ignores tags that are not deploy fields', () => {
    expect(parseDeployTags(['deploy', 'shop', 'team:payments', 'workload:carts', 'workload:other'])).toEqual({
      workload: 'carts',
    });
    expect(parseDeployTags(undefined)).toEqual({});
  });
});
