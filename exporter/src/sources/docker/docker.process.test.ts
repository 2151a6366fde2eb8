// End to end: the exporter as a child process with --docker.socket pointed at the fake engine, its /metrics read as
// Prometheus reads it, and the join of docs/metrics.md ("Docker") run by a real Prometheus.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startPrometheus, queryInstant, waitFor, type RunningPrometheus } from '@timescope/common/testing';
import { startExporterProcess, type ExporterProcess } from '../../testutil/exporterProcess';
import { samplesOf } from '../../testutil/exposition';
import { FakeDockerEngine } from '../../testutil/fakes/fakeDockerEngine';
import { promtoolCheck } from '../../testutil/promtool';

jest.setTimeout(120_000);

const HOST = 'docker-e2e';
const FAMILY = 'timescope_container_docker_info';
const short = (id: string): string => id.slice(0, 12);

/** Stands in for the procfs half on a host without real containers: the cgroup containers it would publish. */
async function cgroupContainers(ids: Record<string, string>): Promise<Server> {
  const body = [
    '# TYPE timescope_container_info gauge',
    ...Object.entries(ids).map(
      ([id, runtime]) =>
        `timescope_container_info{node="container:${HOST}/${short(id)}",kind="container",name="${short(id)}",` +
        `host="${HOST}",namespace="",parent="host:${HOST}",container_id="${short(id)}",runtime="${runtime}",image=""} 1`,
    ),
    '',
  ].join('\n');
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return server;
}

describe('the exporter with --docker.socket', () => {
  const engine = new FakeDockerEngine();
  let exporter: ExporterProcess | undefined;
  let cgroups: Server | undefined;
  let prom: RunningPrometheus | undefined;
  let carts: string;
  let hostile: string;
  const containerdOnly = 'c0ffee'.repeat(10) + 'c0ff';

  beforeAll(async () => {
    await engine.start();
    carts = engine.add({
      name: 'shop-carts-1',
      image: 'shop/carts:1.0',
      labels: { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'carts' },
    });
    hostile = engine.add({ name: '<img src=x onerror=alert(1)>\u001b[2J', image: 'x' });
    exporter = await startExporterProcess({
      args: ['--no-collector.procfs', `--host.name=${HOST}`, '--docker.retry=200ms'],
      env: { TIMESCOPE_DOCKER_SOCKET: engine.socketPath },
    });
  });

  afterAll(async () => {
    await prom?.stop();
    await exporter?.stop();
    await new Promise((resolve) => (cgroups ? cgroups.close(resolve) : resolve(undefined)));
    await engine.stop();
  });

  it('serves the containers in /metrics, in text promtool accepts', async () => {
    const text = await waitFor('the docker series', async () => {
      const t = await exporter!.metrics();
      return samplesOf(t, FAMILY).length === 2 ? t : undefined;
    });
    expect(samplesOf(text, 'timescope_source_up', { source: 'docker', host: HOST })[0]?.value).toBe(1);
    expect(samplesOf(text, FAMILY, { container_id: short(carts) })[0]?.labels).toMatchObject({
      node: `container:${HOST}/${short(carts)}`,
      name: 'shop-carts-1',
      compose_project: 'shop',
      compose_service: 'carts',
    });
    expect(samplesOf(text, FAMILY, { container_id: short(hostile) })[0]?.labels.name).toBe(
      '<img src=x onerror=alert(1)>\ufffd[2J',
    );
    expect(await promtoolCheck(text)).toEqual({ code: 0, output: '' });
  });

  it('follows the events stream of a running exporter', async () => {
    const id = engine.add({ name: 'orders', image: 'shop/orders:2' });
    await waitFor('the new container in /metrics', async () => {
      return samplesOf(await exporter!.metrics(), FAMILY, { container_id: short(id) }).length === 1;
    });
    engine.remove(id);
    await waitFor('the removed container gone from /metrics', async () => {
      return samplesOf(await exporter!.metrics(), FAMILY, { container_id: short(id) }).length === 0;
    });
  });

  it("joins with the cgroup containers on(node) in a real Prometheus, keeping containerd's", async () => {
    cgroups = await cgroupContainers({ [carts]: 'docker', [hostile]: 'docker', [containerdOnly]: 'containerd' });
    const cgroupTarget = `127.0.0.1:${(cgroups.address() as AddressInfo).port}`;
    prom = await startPrometheus({ targets: [`127.0.0.1:${exporter!.port}`, cgroupTarget] });
    const query =
      'last_over_time(timescope_container_info[30s])' +
      ' * on(node) group_left(name, image, compose_project, compose_service)' +
      ' last_over_time(timescope_container_docker_info[30s])' +
      ' or on(node) last_over_time(timescope_container_info[30s])';
    const rows = await waitFor('the joined containers', async () => {
      const r = await queryInstant(prom!, query);
      return r.length === 3 && r.some((x) => x.metric.compose_service === 'carts') ? r : undefined;
    });
    const byId = Object.fromEntries(rows.map((r) => [r.metric.container_id, r.metric]));
    expect(byId[short(carts)]).toMatchObject({
      name: 'shop-carts-1',
      image: 'shop/carts:1.0',
      runtime: 'docker',
      parent: `host:${HOST}`,
      compose_project: 'shop',
    });
    expect(byId[short(hostile)].name).toBe('<img src=x onerror=alert(1)>\ufffd[2J');
    // A container only containerd knows keeps its cgroup id as its name (Prometheus drops the empty image label).
    expect(byId[short(containerdOnly)]).toMatchObject({ name: short(containerdOnly), runtime: 'containerd' });
    expect(byId[short(containerdOnly)].compose_project).toBeUndefined();
  });
});

describe('the exporter without --docker.socket', () => {
  it('runs no Docker source and publishes no Docker series', async () => {
    const exporter = await startExporterProcess({
      args: ['--no-collector.procfs', `--host.name=${HOST}`],
      env: { TIMESCOPE_DOCKER_SOCKET: '' },
    });
    try {
      const text = await exporter.metrics();
      expect(samplesOf(text, 'timescope_source_up', { source: 'docker' })).toEqual([]);
      expect(samplesOf(text, FAMILY)).toEqual([]);
      expect(exporter.logs()).not.toMatch(/components=\S*docker/);
    } finally {
      await exporter.stop();
    }
  });
});
