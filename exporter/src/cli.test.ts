import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Component, ComponentModule } from './runtime/source';
import { startExporter, type RunningExporter } from './cli';
import { exporterCommand, startExporterProcess, type ExporterProcess } from './testutil/exporterProcess';
import { promtoolCheck } from './testutil/promtool';

const run = promisify(execFile);
jest.setTimeout(60_000);

function fakeModule(log: string[]): { module: ComponentModule; setReady(v: boolean): void } {
  let ready = false;
  const component: Component = {
    name: 'fake',
    collectors: [
      {
        collect: () => [{ name: 'fake_things', help: 'things', type: 'gauge', samples: [{ labels: {}, value: 3 }] }],
      },
    ],
    routes: [{ method: 'POST', path: '/hooks/fake', handler: (_req, res) => void res.end('hooked') }],
    start: async () => void log.push('start'),
    stop: async () => void log.push('stop'),
    ready: () => ready,
  };
  return {
    module: {
      flags: [{ name: 'fake.level', help: 'how fake', type: 'int', default: '1' }],
      create: (ctx) => (ctx.config.int('fake.level') === 0 ? undefined : component),
    },
    setReady: (v) => {
      ready = v;
    },
  };
}

describe('the exporter in-process', () => {
  let exporter: RunningExporter | undefined;
  afterEach(async () => exporter?.stop());

  it('serves collectors, routes, health and readiness, and stops every component', async () => {
    const log: string[] = [];
    const fake = fakeModule(log);
    const out: string[] = [];
    exporter = await startExporter(
      ['--web.listen-address=127.0.0.1:0', '--host.name=h1', '--log.level=warn'],
      {},
      [fake.module],
      (l) => out.push(l),
    );
    if (!exporter) throw new Error('not started');
    const port = (exporter.server.server.address() as { port: number }).port;
    const base = `http://127.0.0.1:${port}`;
    expect(out.join('\n')).toContain(`serving http://127.0.0.1:${port}/metrics`);

    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    fake.setReady(true);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/nowhere`)).status).toBe(404);
    expect((await fetch(`${base}/hooks/fake`)).status).toBe(405);
    expect(await (await fetch(`${base}/hooks/fake`, { method: 'POST' })).text()).toBe('hooked');

    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('fake_things 3\n');
    expect(metrics).toContain('timescope_exporter_build_info{version="0.1.0",host="h1"} 1');

    await exporter.stop();
    exporter = undefined;
    expect(log).toEqual(['start', 'stop']);
  });

  it('prints --help with every component flag and does not start', async () => {
    const out: string[] = [];
    const r = await startExporter(['--help'], {}, [fakeModule([]).module], (l) => out.push(l));
    expect(r).toBeUndefined();
    expect(out.join('\n')).toContain('--fake.level=<int>');
    expect(out.join('\n')).toContain('TIMESCOPE_FAKE_LEVEL');
    expect(out.join('\n')).toContain('default: :9469');
  });
});

describe('the exporter CLI process', () => {
  let exporter: ExporterProcess | undefined;
  afterAll(async () => exporter?.kill());

  it('starts from source, serves /metrics that promtool accepts, and exits 0 on SIGTERM', async () => {
    exporter = await startExporterProcess({ args: ['--probe.interval=1s'] });
    const metrics = await exporter.metrics();
    expect(metrics).toContain('timescope_source_up{source="procfs"');
    const check = await promtoolCheck(metrics);
    expect(check).toEqual({ code: 0, output: '' });
    expect(await exporter.stop()).toBe(0);
    expect(exporter.logs()).toContain('SIGTERM, shutting down');
  });

  it('exits 2 with a clear message on a bad flag', async () => {
    const [node, ...args] = exporterCommand();
    const r = await run(node, [...args, '--probe.interval=soon']).catch((e: { code: number; stderr: string }) => e);
    expect(r).toMatchObject({ code: 2 });
    expect((r as { stderr: string }).stderr).toContain('not a duration: "soon"');
  });
});
