// The exporter as a user runs it (a child process): webhooks acknowledged before a kill -9 are all still there after
// a restart, none twice; Grafana gets each event once across restarts; a flood is answered 429 while scrapes work.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@timescope/common/testing';
import { startExporterProcess, type ExporterProcess } from '../../testutil/exporterProcess';
import { samplesOf } from '../../testutil/exposition';

jest.setTimeout(90_000);

const TOKEN = 'process-test-token';
const auth = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };

interface Posted {
  method: string;
  path: string;
  body: { text?: string; timeEnd?: number };
}

function recordingGrafana(): Promise<{ server: Server; url: string; received: Posted[] }> {
  const received: Posted[] = [];
  let id = 100;
  const server = createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      received.push({ method: req.method ?? '', path: req.url ?? '', body: JSON.parse(data) });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ id: ++id, message: 'ok' }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received }),
    ),
  );
}

function post(base: string, body: unknown): Promise<Response> {
  return fetch(`${base}/api/v1/deploys`, { method: 'POST', headers: auth, body: JSON.stringify(body) });
}

describe('deploy events in a running exporter', () => {
  const running: ExporterProcess[] = [];
  const dirs: string[] = [];
  let grafana: Awaited<ReturnType<typeof recordingGrafana>> | undefined;

  afterAll(async () => {
    for (const p of running) await p.kill().catch(() => undefined);
    if (grafana) await new Promise((r) => grafana?.server.close(r));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  async function start(args: string[]): Promise<ExporterProcess> {
    const p = await startExporterProcess({
      args: ['--no-collector.procfs', ...args],
      env: { TIMESCOPE_WEBHOOKS_TOKEN: TOKEN },
    });
    running.push(p);
    return p;
  }

  it('keeps every acknowledged event across kill -9, none twice, and pushes each to Grafana once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'timescope-durable-'));
    dirs.push(dir);
    grafana = await recordingGrafana();
    const args = [`--events.path=${dir}`, '--webhooks.rate-limit=0', `--grafana.url=${grafana.url}`];
    const first = await start(args);

    // Eight clients post without pause; kill -9 once 20 are acknowledged, so the kill lands while writes are in
    // flight. Only answered posts count as acknowledged.
    const acked = new Map<string, string>(); // workload -> id
    let killed: Promise<void> | undefined;
    let n = 0;
    const startedAt = Date.now() - 60_000;
    const client = async (): Promise<void> => {
      while (!killed) {
        const i = n++;
        const workload = `svc-${i}`;
        try {
          const r = await post(first.url, {
            namespace: 'shop',
            workload,
            revision: `r${i}`,
            startedAt: (startedAt + i) / 1000,
          });
          if (r.status === 201) acked.set(workload, ((await r.json()) as { id: string }).id);
        } catch {
          return; // the exporter died while this request was in flight: not acknowledged
        }
        if (acked.size >= 20) killed ??= first.kill();
      }
    };
    await Promise.all(Array.from({ length: 8 }, client));
    await killed;
    expect(acked.size).toBeGreaterThanOrEqual(20);

    const second = await first.restart();
    running.push(second);
    const series = samplesOf(await second.metrics(), 'timescope_deploy_timestamp_seconds');
    const byWorkload = new Map<string, number>();
    for (const s of series) byWorkload.set(s.labels.workload, (byWorkload.get(s.labels.workload) ?? 0) + 1);
    for (const [workload, id] of acked) {
      expect(series.filter((s) => s.labels.id === id).map((s) => s.labels.workload)).toEqual([workload]);
    }
    expect([...byWorkload.values()].every((n) => n === 1)).toBe(true);
    const listed = (await (await fetch(`${second.url}/api/v1/deploys`)).json()) as { events: { id: string }[] };
    expect(listed.events).toHaveLength(series.length);

    // idempotent across the restart
    const [workload, id] = [...acked][0];
    const again = await post(second.url, { namespace: 'shop', workload, revision: workload.replace('svc-', 'r') });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ id, duplicate: true });

    // every event reaches Grafana; after a graceful restart nothing is posted again
    await waitFor('every event pushed to Grafana', async () => {
      const pending = samplesOf(await second.metrics(), 'timescope_grafana_annotations_pending');
      return pending.length === 1 && pending[0].value === 0;
    });
    const events = (
      (await (await fetch(`${second.url}/api/v1/deploys`)).json()) as { events: { annotationId?: number }[] }
    ).events;
    expect(events.every((e) => typeof e.annotationId === 'number')).toBe(true);
    const postsBefore = grafana.received.length;
    expect(await second.stop()).toBe(0);
    const third = await second.restart();
    running.push(third);
    await waitFor('the push to settle', async () => {
      const pending = samplesOf(await third.metrics(), 'timescope_grafana_annotations_pending');
      return pending.length === 1 && pending[0].value === 0;
    });
    expect(grafana.received.length).toBe(postsBefore);
  });

  it('answers a flood with 429 while /metrics keeps answering', async () => {
    const p = await start(['--webhooks.rate-limit=20']);
    const scrapes: number[] = [];
    let flooding = true;
    const scraper = (async () => {
      while (flooding) {
        scrapes.push((await fetch(`${p.url}/metrics`)).status);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        post(p.url, { namespace: 'load', workload: `w${i}`, revision: 'r' }).then(
          (r) => r.status,
          () => 0,
        ),
      ),
    );
    flooding = false;
    await scraper;
    expect(answers.filter((a) => a === 429).length).toBeGreaterThan(0);
    expect(answers.every((a) => a === 201 || a === 429)).toBe(true);
    expect(scrapes.length).toBeGreaterThan(0);
    expect(scrapes.every((s) => s === 200)).toBe(true);
    const accepted = answers.filter((a) => a === 201).length;
    expect(samplesOf(await p.metrics(), 'timescope_deploy_timestamp_seconds')).toHaveLength(accepted);
    expect(
      samplesOf(await p.metrics(), 'timescope_webhook_requests_total', { endpoint: 'api', code: '429' })[0].value,
    ).toBe(300 - accepted);
  });
});
