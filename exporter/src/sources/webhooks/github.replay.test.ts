// Case 7 of issue 15 over real HTTP on loopback with real signed bodies: an old, validly signed deployment_status
// replayed after a newer one never flips the event back, before or after a restart; a delivery id already
// recorded is answered as a duplicate without writing anything.
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger, Route } from '../../runtime/source';
import { Journal } from '../../journal/journal';
import { BearerTokens, HmacSecrets } from './credentials';
import { createWebhooks } from './index';

const logger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const statusFixture = JSON.parse(
  readFileSync(join(__dirname, 'testdata', 'github-deployment-status-success.json'), 'utf8'),
) as { deployment_status: Record<string, unknown> };
const deployment = readFileSync(join(__dirname, 'testdata', 'github-deployment.json'), 'utf8');

function statusBody(state: string, at: string): string {
  const doc = structuredClone(statusFixture);
  Object.assign(doc.deployment_status, { state, created_at: at, updated_at: at });
  return JSON.stringify(doc);
}

describe('GitHub deployment_status replays', () => {
  let dir: string;
  const running: { server: Server; journal: Journal }[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'timescope-replay-'));
  });
  afterEach(async () => {
    for (const r of running.splice(0)) {
      await new Promise((done) => r.server.close(done));
      await r.journal.close();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(): Promise<{ post: (event: string, body: string, delivery: string) => Promise<unknown> }> {
    const journal = new Journal({ file: join(dir, 'deploys.jsonl'), retentionMs: 3650 * 86_400_000, logger });
    const c = createWebhooks({
      journal,
      credentials: {
        tokens: new BearerTokens([]),
        github: new HmacSecrets(['gh-secret'], 'x-hub-signature-256', ['sha256']),
        flux: new HmacSecrets([], 'x-signature', ['sha256']),
      },
      rateLimit: 0,
      host: 'h',
      logger,
    });
    const routes: Route[] = c.routes ?? [];
    const server = createServer((req, res) => {
      const r = routes.find((x) => x.path === req.url && x.method === req.method);
      if (!r) return void res.writeHead(404).end();
      void r.handler(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    running.push({ server, journal });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return {
      post: async (event, body, delivery) => {
        const r = await fetch(`${base}/hooks/github`, {
          method: 'POST',
          body,
          headers: {
            'Content-Type': 'application/json',
            'X-GitHub-Event': event,
            'X-GitHub-Delivery': delivery,
            'X-Hub-Signature-256': `sha256=${createHmac('sha256', 'gh-secret').update(body).digest('hex')}`,
          },
        });
        return { status: r.status, body: await r.json() };
      },
    };
  }

  const stored = (): unknown => {
    const j = running[running.length - 1].journal;
    const e = j.get('github-1234567');
    return e && { status: e.status, finishedAt: e.finishedAt && new Date(e.finishedAt).toISOString() };
  };

  it('an older status never overwrites a newer one, also after a restart', async () => {
    const a = await start();
    const failure = statusBody('failure', '2026-11-25T06:01:00Z');
    const success = statusBody('success', '2026-11-25T06:03:20Z');
    expect(await a.post('deployment', deployment, 'd-1')).toMatchObject({ status: 201 });
    expect(await a.post('deployment_status', failure, 'd-2')).toMatchObject({ status: 200 });
    expect(await a.post('deployment_status', success, 'd-3')).toMatchObject({ status: 200 });
    expect(stored()).toEqual({ status: 'succeeded', finishedAt: '2026-11-25T06:03:20.000Z' });

    // the old failure again, with its delivery id (a redelivery) and with a new one (a replay)
    expect(await a.post('deployment_status', failure, 'd-2')).toEqual({
      status: 200,
      body: { id: 'github-1234567', duplicate: true },
    });
    expect(await a.post('deployment_status', failure, 'd-9')).toMatchObject({ status: 200 });
    expect(stored()).toEqual({ status: 'succeeded', finishedAt: '2026-11-25T06:03:20.000Z' });

    await running[0].journal.close();
    const b = await start();
    expect(await b.post('deployment_status', failure, 'd-10')).toMatchObject({ status: 200 });
    expect(await b.post('deployment', deployment, 'd-11')).toMatchObject({ status: 200 });
    expect(stored()).toEqual({ status: 'succeeded', finishedAt: '2026-11-25T06:03:20.000Z' });
  });

  it('a newer status still moves the event on (a re-run that succeeds after a failure)', async () => {
    const a = await start();
    await a.post('deployment', deployment, 'd-1');
    await a.post('deployment_status', statusBody('failure', '2026-11-25T06:01:00Z'), 'd-2');
    expect(stored()).toMatchObject({ status: 'failed' });
    await a.post('deployment_status', statusBody('success', '2026-11-25T06:09:00Z'), 'd-3');
    expect(stored()).toEqual({ status: 'succeeded', finishedAt: '2026-11-25T06:09:00.000Z' });
  });
});
