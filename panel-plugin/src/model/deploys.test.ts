import { frame as makeFrame } from '../testutil/frame';
import { deployMarkers, deploysOfNode } from './deploys';
import { deployTags, quote } from '@timescope/common';
import { exploreUrl, nodeQueries, safeUrl } from './links';
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

  it("reads our datasource's annotations (only Grafana's fields: time, timeEnd, title, text, tags)", () => {
    const rev = 'd4e5f60718293a4b5c6d7e8f9012345678901234';
    const url = `https://git.example.com/shop/frontend/commit/${rev}?a=1&b=2`;
    const escaped = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const [m] = deployMarkers([
      makeFrame(undefined, {
        time: [5000],
        timeEnd: [65000],
        title: [`frontend ${rev.slice(0, 12)}`],
        text: [
          escaped(
            `Edsger: fix "quotes" & <b>tags</b>\nDeployment shop/frontend @ ${rev} (succeeded, via flux)\n${url}`,
          ),
        ],
        // deploysFrame's tags: the display tags, then the deploy fields as key:value tags
        tags: [
          [
            ...['deploy', 'shop', 'frontend', 'flux', 'succeeded'],
            ...deployTags({ namespace: 'shop', workload: 'frontend', revision: rev, status: 'succeeded', url }),
          ],
        ],
      }),
    ]);
    expect(m).toMatchObject({ time: 5000, timeEnd: 65000, workload: 'shop/frontend', revision: rev, url });
    expect(m.text).toContain('fix "quotes" & <b>tags</b>');
  });

  it("reads a Prometheus annotation query's title and text formats", () => {
    const [m] = deployMarkers([
      makeFrame(undefined, {
        time: [5000],
        title: ['Deploy shop/carts'],
        text: ['carts: faster checkout (a1b2c3d4e5f60718293a4b5c6d7e8f9012345678)'],
        tags: [['shop', 'carts']],
      }),
    ]);
    expect(m).toMatchObject({ workload: 'shop/carts', revision: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678' });
    expect(m.url).toBeUndefined();
  });

  it("finds a workload node's deploys", () => {
    const m = deployMarkers([frame]);
    const hits = deploysOfNode(m, { id: 'workload:shop/Deployment/carts', details: {} });
    expect(hits.map((d) => d.time)).toEqual([2000]);
    const of = (id: string) => deploysOfNode(m, { id, details: {} }).map((d) => d.time);
    expect(of('service:shop/carts')).toEqual([2000]);
    expect(of('pod:shop/carts-84b2-k9k9')).toEqual([2000]);
    expect(of('pod:other/carts-84b2-k9k9')).toEqual([]);
    expect(of('pod:shop/cartsx-1')).toEqual([]);
    // pods of other workloads whose names start with carts-: a StatefulSet carts-db, a Deployment carts-database
    expect(of('pod:shop/carts-db-0')).toEqual([]);
    expect(of('pod:shop/carts-database-7f9c-abcd')).toEqual([]);
    // ...while a StatefulSet's or a DaemonSet's own pods are carts'
    expect(of('pod:shop/carts-0')).toEqual([2000]);
    expect(of('pod:shop/carts-x7k2p')).toEqual([2000]);
    // a node whose Workload detail (by its display name) names the workload, e.g. a process of one of its pods
    expect(
      deploysOfNode(m, { id: 'process:h1/42', details: { Workload: 'workload:shop/Deployment/carts' } }),
    ).toHaveLength(1);
    expect(of('workload:shop/Deployment/orders')).toEqual([1000]);
    expect(of('process:node-1/carts[8082]')).toEqual([]);
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
    // the cell of the instant after (the step up to it) begins at or after the deploy's end
    expect(aroundDeploy(150_000, undefined, r)).toEqual({ before: 120_000, after: 240_000 });
    expect(aroundDeploy(120_000, 200_000, r)).toEqual({ before: 60_000, after: 300_000 });
    expect(aroundDeploy(120_000, 180_000, r)).toEqual({ before: 60_000, after: 240_000 });
  });
});

describe('links', () => {
  it('escapes label values in PromQL', () => {
    expect(quote('a"b\\c')).toBe('"a\\"b\\\\c"');
    const [cpu] = nodeQueries({ id: 'process:h/x"y', kind: 'process' });
    expect(cpu.expr).toContain('{node="process:h/x\\"y"}');
  });
  it('rolls CPU and memory up from the processes under a container, pod, workload or service', () => {
    const expr = (id: string, kind: string) => nodeQueries({ id, kind }).map((q) => q.expr);
    expect(expr('container:h/abc', 'container')[0]).toContain('timescope_process_info{parent="container:h/abc"}');
    const [podCpu, podMem] = expr('pod:shop/carts-1', 'pod');
    expect(podCpu).toContain('timescope_pod_container_info{pod="pod:shop/carts-1"}');
    expect(podMem).toMatch(/^sum\(timescope_process_resident_memory_bytes \* on\(node\) group_left/);
    expect(expr('workload:shop/Deployment/carts', 'workload')[0]).toContain(
      'timescope_pod_info{workload="workload:shop/Deployment/carts"}',
    );
    expect(expr('service:shop/carts', 'service')[0]).toContain(
      'timescope_service_backend{service="service:shop/carts"}',
    );
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
