import { join } from 'node:path';
import { waitFor } from '@timescope/common/testing';
import type { Component, Logger } from '../../runtime/source';
import { envName, parseFlags } from '../../flags';
import { instantiate } from '../../runtime/supervisor';
import { testContext } from '../../testutil/context';
import { labelText } from '../../runtime/labelText';
import { renderExposition } from '../../publish/exposition';
import { collectAll } from '../../server';
import { samplesOf } from '../../testutil/exposition';
import { FakeDockerEngine } from '../../testutil/fakes/fakeDockerEngine';
import { dockerFlags, dockerModule } from './index';

jest.setTimeout(60_000);

const FAMILY = 'timescope_container_docker_info';
const HOST = 'docker-host';

function capture(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const at =
    (level: string) =>
    (m: string, f?: Record<string, unknown>): void => {
      lines.push(`${level} ${m} ${JSON.stringify(f ?? {})}`);
    };
  return { logger: { info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

function createSource(socket: string, logger: Logger): Component {
  const ctx = testContext({ 'docker.socket': socket, 'docker.retry': 0.1 }, logger, HOST);
  const c = instantiate(dockerModule, ctx);
  if (!c) throw new Error('--docker.socket set but no component');
  return c;
}

/** What /metrics would show: every collector rendered and parsed back. */
function metrics(c: Component): string {
  return renderExposition(collectAll(c.collectors, capture().logger));
}

function containers(c: Component): Record<string, Record<string, string>> {
  return Object.fromEntries(samplesOf(metrics(c), FAMILY).map((s) => [s.labels.container_id, s.labels]));
}

function up(c: Component): number | undefined {
  return samplesOf(metrics(c), 'timescope_source_up', { source: 'docker' })[0]?.value;
}

function errors(c: Component, kind: string): number {
  return samplesOf(metrics(c), 'timescope_probe_errors_total', { source: 'docker', kind })[0]?.value ?? 0;
}

const short = (id: string): string => id.slice(0, 12);

describe('docker source against a fake engine on a unix socket', () => {
  const engine = new FakeDockerEngine();
  const { logger, lines } = capture();
  let source: Component;
  let carts: string;
  let db: string;
  let stopped: string;

  beforeAll(async () => {
    await engine.start();
    carts = engine.add({
      name: 'shop-carts-1',
      image: 'weaveworksdemos/carts:0.4.8',
      labels: { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'carts', maintainer: 'x' },
    });
    db = engine.add({ name: 'carts-db', image: 'mongo:7' });
    stopped = engine.add({ name: 'old-job', image: 'busybox', running: false });
    source = createSource(engine.socketPath, logger);
    await source.start();
    await waitFor('the first list', async () => up(source) === 1);
  });

  afterAll(async () => {
    await source?.stop();
    await engine.stop();
  });

  it('publishes the running containers of the first list, keyed like the cgroup containers', () => {
    const byId = containers(source);
    expect(Object.keys(byId).sort()).toEqual([short(carts), short(db)].sort());
    expect(byId[short(carts)]).toEqual({
      node: `container:${HOST}/${short(carts)}`,
      host: HOST,
      container_id: short(carts),
      name: 'shop-carts-1',
      image: 'weaveworksdemos/carts:0.4.8',
      compose_project: 'shop',
      compose_service: 'carts',
    });
    expect(byId[short(db)]).toMatchObject({ name: 'carts-db', compose_project: '', compose_service: '' });
    expect(byId[short(stopped)]).toBeUndefined();
    expect(source.ready?.()).toBe(true);
    expect(lines.some((l) => l.startsWith('info docker: connected') && l.includes('"engine":"24.0.7"'))).toBe(true);
  });

  it('adds a container from its start event', async () => {
    const id = engine.add({
      name: 'orders',
      image: 'shop/orders:1.2',
      labels: { 'com.docker.compose.service': 'orders' },
    });
    await waitFor('the new container', async () => containers(source)[short(id)]?.name === 'orders');
    expect(containers(source)[short(id)].compose_service).toBe('orders');
  });

  it('drops a container when it dies or is destroyed, and follows a rename', async () => {
    const a = engine.add({ name: 'worker-a', image: 'shop/worker' });
    const b = engine.add({ name: 'worker-b', image: 'shop/worker' });
    await waitFor('both workers', async () => containers(source)[short(a)] && containers(source)[short(b)]);
    engine.stopContainer(a);
    engine.remove(b);
    engine.rename(db, 'carts-db-renamed');
    await waitFor('both workers gone', async () => !containers(source)[short(a)] && !containers(source)[short(b)]);
    await waitFor('the rename', async () => containers(source)[short(db)]?.name === 'carts-db-renamed');
  });

  it('inspects a started container whose event names nothing', async () => {
    const id = engine.add({ name: 'quiet', image: 'shop/quiet:3', running: false });
    const inspects = engine.count(`/containers/${id}/json`);
    engine.startContainer(id, false);
    await waitFor('the inspected container', async () => containers(source)[short(id)]?.image === 'shop/quiet:3');
    expect(engine.count(`/containers/${id}/json`)).toBe(inspects + 1);
  });

  it('counts, logs and skips a malformed events line, and keeps the stream', async () => {
    const before = errors(source, 'malformed');
    const streams = engine.count('/events');
    engine.emitRaw('{"Type":"container","Action":"start","Actor":{"ID": broken\n');
    engine.emitRaw('{"Type":"container","Action":"start","Actor":{"ID":"not-hex","Attributes":{}}}\n');
    const id = engine.add({ name: 'after-garbage', image: 'shop/x' });
    await waitFor('the container after the garbage', async () => containers(source)[short(id)]);
    expect(errors(source, 'malformed')).toBe(before + 2);
    expect(lines.filter((l) => l.startsWith('warn docker: skipped a malformed events line'))).toHaveLength(2);
    expect(lines.some((l) => l.includes('broken'))).toBe(true);
    expect(engine.count('/events')).toBe(streams);
    expect(up(source)).toBe(1);
  });

  it('publishes names holding markup and control characters as sanitised text', async () => {
    const name = '<img src=x onerror=alert(1)>\u0007\u001b[31mred\u0085';
    const image = 'evil/"quoted"\\image\nnext:1';
    const long = 'p'.repeat(1000);
    const id = engine.add({ name, image, labels: { 'com.docker.compose.project': long } });
    await waitFor('the hostile container', async () => containers(source)[short(id)]);
    const c = containers(source)[short(id)];
    expect(c.name).toBe('<img src=x onerror=alert(1)>\ufffd\ufffd[31mred\ufffd');
    expect(c.name).toBe(labelText(name));
    expect(c.image).toBe('evil/"quoted"\\image\ufffdnext:1');
    expect(c.compose_project).toHaveLength(256);
    // The exposition line stays one line with the quotes and backslash escaped.
    const line = metrics(source)
      .split('\n')
      .find((l) => l.startsWith(FAMILY) && l.includes(short(id)));
    expect(line).toContain('image="evil/\\"quoted\\"\\\\image\ufffdnext:1"');
  });

  it('relists after the events stream drops, so changes missed meanwhile show', async () => {
    const lists = engine.count('/containers/json');
    const streams = engine.count('/events');
    const gone = engine.add({ name: 'missed-removal', image: 'shop/gone' });
    await waitFor('the container before the drop', async () => containers(source)[short(gone)]);
    engine.dropEventStreams();
    engine.removeSilently(gone);
    await waitFor('a relist', async () => engine.count('/containers/json') > lists && up(source) === 1);
    expect(engine.count('/events')).toBeGreaterThan(streams);
    await waitFor('the missed removal applied', async () => !containers(source)[short(gone)]);
    expect(containers(source)[short(carts)]).toBeDefined();
    const warn = lines.find((l) => l.startsWith('warn docker: engine unreachable'));
    expect(warn).toMatch(/"reason":"[^"]*(cut|ended|ECONNRESET|aborted)/);
    expect(lines.some((l) => l.startsWith('info docker: reconnected and relisted'))).toBe(true);
  });

  it('reports source_up 0 while the engine refuses connections, then recovers by itself', async () => {
    engine.setRefusing(true);
    await waitFor('source_up 0', async () => up(source) === 0);
    // The last known containers keep being served meanwhile.
    expect(containers(source)[short(carts)]).toBeDefined();
    const during = engine.add({ name: 'started-during-outage', image: 'shop/late' });
    engine.setRefusing(false);
    await waitFor('source_up 1 again', async () => up(source) === 1);
    await waitFor('the container started during the outage', async () => containers(source)[short(during)]);
    expect(errors(source, 'io')).toBeGreaterThan(0);
  });
});

describe('docker source against an engine that refuses the events stream', () => {
  it('reports the HTTP status and message, then recovers when the engine serves it again', async () => {
    const engine = new FakeDockerEngine();
    const { logger, lines } = capture();
    await engine.start();
    const id = engine.add({ name: 'web', image: 'nginx:1.25' });
    engine.setEventsError({ status: 500, message: 'rpc error: code = Unavailable' });
    const source = createSource(engine.socketPath, logger);
    try {
      await source.start();
      await waitFor('the first attempt', async () => source.ready?.());
      expect(up(source)).toBe(0);
      expect(lines.find((l) => l.startsWith('warn docker: engine unreachable'))).toContain(
        'HTTP 500: rpc error: code = Unavailable',
      );
      engine.setEventsError(undefined);
      await waitFor('source_up 1', async () => up(source) === 1);
      expect(containers(source)[short(id)]?.name).toBe('web');
    } finally {
      await source.stop();
      await engine.stop();
    }
  });
});

describe('docker source without an engine', () => {
  it('gives source_up 0 and logs why when the socket does not exist, and never throws', async () => {
    const { logger, lines } = capture();
    const socket = join('/nonexistent-timescope', 'docker.sock');
    const source = createSource(socket, logger);
    await source.start();
    await waitFor('the first attempt', async () => source.ready?.());
    expect(up(source)).toBe(0);
    expect(samplesOf(metrics(source), FAMILY)).toEqual([]);
    const warn = lines.find((l) => l.startsWith('warn docker: engine unreachable'));
    expect(warn).toContain('ENOENT');
    expect(warn).toContain(socket);
    // Retries of the same failure are not logged again at warn level.
    await waitFor('a few retries', async () => errors(source, 'io') >= 3);
    expect(lines.filter((l) => l.startsWith('warn docker: engine unreachable'))).toHaveLength(1);
    await source.stop();
  });

  it('is disabled when --docker.socket is unset, and set by its environment variable', () => {
    const { logger } = capture();
    const unset = parseFlags([], {}, dockerFlags).settings;
    const journal = testContext({}).journal;
    expect(instantiate(dockerModule, { config: unset, logger, hostname: HOST, journal })).toBeUndefined();
    expect(envName('docker.socket')).toBe('TIMESCOPE_DOCKER_SOCKET');
    const parsed = parseFlags([], { TIMESCOPE_DOCKER_SOCKET: '/var/run/docker.sock' }, dockerFlags);
    const fromEnv = parsed.config;
    expect(fromEnv['docker.socket']).toBe('/var/run/docker.sock');
    expect(instantiate(dockerModule, { config: parsed.settings, logger, hostname: HOST, journal })?.name).toBe(
      'docker',
    );
  });
});
