import { frame as makeFrame } from '../testutil/frame';
import { deployMarkers, deploysOfNode } from './deploys';
import { exploreUrl, nodeQueries, promString, safeUrl } from './links';
import { aroundDeploy, stepInstant } from './timeTravel';

describe('deploy markers', () => {
  const frame = makeFrame(undefined, {
    time: [2000, 1000],
    title: ['shop/carts', 'shop/orders'],
    text: ['see https://git.example/c/abc for details', ''],
    tags: [['workload:carts', 'namespace:shop'], ['workload:orders']],
    url: ['', 'javascript:alert(1)'],
  });

  it('reads annotations in time order with their workload and a safe commit link', () => {
    const m = deployMarkers([frame]);
    expect(m.map((d) => d.time)).toEqual([1000, 2000]);
    expect(m[1]).toMatchObject({ workload: 'shop/carts', url: 'https://git.example/c/abc' });
    expect(m[0].url).toBeUndefined();
  });

  it("finds a workload node's deploys", () => {
    const m = deployMarkers([frame]);
    const hits = deploysOfNode(m, { id: 'workload:shop/Deployment/carts', details: {} });
    expect(hits.map((d) => d.time)).toEqual([2000]);
  });
});

describe('instants', () => {
  const r = { from: 0, to: 600_000, step: 60_000 };
  it('steps by one query step on the grid and stays inside the range', () => {
    expect(stepInstant(120_000, 1, r)).toBe(180_000);
    expect(stepInstant(130_000, -1, r)).toBe(120_000);
    expect(stepInstant(0, -1, r)).toBe(0);
    expect(stepInstant(600_000, 1, r)).toBe(600_000);
  });
  it('compares just before a deploy with just after it', () => {
    expect(aroundDeploy(150_000, undefined, r)).toEqual({ before: 120_000, after: 180_000 });
    expect(aroundDeploy(120_000, 200_000, r)).toEqual({ before: 60_000, after: 240_000 });
  });
});

describe('links', () => {
  it('escapes label values in PromQL', () => {
    expect(promString('a"b\\c')).toBe('"a\\"b\\\\c"');
    const [cpu] = nodeQueries({ id: 'process:h/x"y', kind: 'process' });
    expect(cpu.expr).toContain('{node="process:h/x\\"y"}');
  });
  it('only follows http(s) links', () => {
    expect(safeUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeUrl('https://example.org/a')).toBe('https://example.org/a');
  });
  it('builds Explore links carrying the query', () => {
    const u = exploreUrl({ title: 'CPU', expr: 'up' }, 'prom', 1, 2);
    expect(decodeURIComponent(u)).toContain('"expr":"up"');
  });
});
