import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@timescope/common/testing';
import { startExporter, type RunningExporter } from './cli';
import type { ComponentModule } from './runtime/source';
import { webhooksModule } from './sources/webhooks';
import { promtoolCheck } from './testutil/promtool';

jest.setTimeout(60_000);

describe('the exporter HTTP surface', () => {
  let exporter: RunningExporter | undefined;
  let dir: string;
  let base: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'timescope-server-'));
    exporter = await startExporter(
      ['--web.listen-address=127.0.0.1:0', '--host.name=h1', '--log.level=error', `--events.path=${dir}`],
      { TIMESCOPE_WEBHOOKS_TOKEN: 'tok' },
      undefined,
      () => undefined,
    );
    if (!exporter) throw new Error('not started');
    base = `http://127.0.0.1:${(exporter.server.server.address() as { port: number }).port}`;
    await waitFor('ready', async () => (await fetch(`${base}/readyz`)).status === 200);
  });
  afterAll(async () => {
    await exporter?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves topology, timescope self-metrics and process_*/nodejs_* in one body promtool accepts', async () => {
    const r = await fetch(`${base}/metrics`);
    expect(r.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await r.text();
    for (const family of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'process_open_fds',
      'nodejs_eventloop_lag_seconds',
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_gc_duration_seconds',
      'timescope_exporter_build_info',
      'timescope_source_up',
      'timescope_host_info',
    ]) {
      expect(text).toContain(`# TYPE ${family} `);
    }
    expect(text).toContain('timescope_exporter_build_info{version="0.1.0",host="h1"} 1\n');
    // every family once: the two writers never both publish a name
    const types = text.split('\n').filter((l) => l.startsWith('# TYPE '));
    expect(new Set(types).size).toBe(types.length);
    expect(await promtoolCheck(text)).toEqual({ code: 0, output: '' });
  });

  it('answers 405 with Allow for a wrong method and 404 for an unknown path', async () => {
    const wrong = await fetch(`${base}/hooks/github`, { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    const post = await fetch(`${base}/metrics`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect((await fetch(`${base}/nowhere`)).status).toBe(404);
    const head = await fetch(`${base}/healthz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });
});

describe('/readyz', () => {
  it('is 503 naming the sources whose first cycle has not completed, 200 once every enabled source has one', async () => {
    let finish: () => void = () => undefined;
    const firstCycle = new Promise<void>((r) => (finish = r));
    const slow: ComponentModule = {
      flags: [],
      source: { name: 'slow', help: 'a source whose first cycle waits', implied: true },
      create: () => ({
        name: 'slow',
        collectors: [],
        probe: { intervalSeconds: 3600, cycle: () => firstCycle.then(() => false) },
        start: async () => undefined,
        stop: async () => undefined,
      }),
    };
    const off: ComponentModule = { ...slow, source: { name: 'off', help: 'turned off', implied: false } };
    const exporter = await startExporter(
      ['--web.listen-address=127.0.0.1:0', '--log.level=error'],
      {},
      [slow, off, webhooksModule],
      () => undefined,
    );
    if (!exporter) throw new Error('not started');
    try {
      const url = `${exporter.url}/readyz`;
      const before = await fetch(url);
      expect(before.status).toBe(503);
      expect(await before.text()).toBe('not ready: slow\n');
      finish();
      // a failed cycle is still a completed one: the source reports down, the exporter is ready
      await waitFor('ready', async () => (await fetch(url)).status === 200);
      expect((await fetch(`${exporter.url}/healthz`)).status).toBe(200);
    } finally {
      await exporter.stop();
    }
  });
});
