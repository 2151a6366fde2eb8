import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger, Route } from '../../runtime/source';
import { Journal } from '../../journal/journal';
import { BearerTokens, HmacSecrets } from './credentials';
import { createWebhooks, type WebhookCredentials } from './index';

const logger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const fixture = (name: string): string => readFileSync(join(__dirname, 'testdata', name), 'utf8');
const sign = (algo: string, key: string, body: string): string =>
  `${algo}=${createHmac(algo, key).update(body).digest('hex')}`;

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** Mounts routes on a plain node:http server, as the exporter's server does (exact path + method). */
async function serve(routes: Route[]): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    const r = routes.find((x) => x.path === (req.url ?? '').split('?')[0] && x.method === req.method);
    if (!r) return void res.writeHead(404).end();
    void r.handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('webhooks', () => {
  let dir: string;
  let journal: Journal;
  let server: Server;
  let base: string;
  const credentials = (): WebhookCredentials => ({
    tokens: new BearerTokens(['old-token', 'tok-1']),
    github: new HmacSecrets(['gh-secret'], 'x-hub-signature-256', ['sha256']),
    flux: new HmacSecrets(['flux-key'], 'x-signature', ['sha1', 'sha256', 'sha384', 'sha512']),
  });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'timescope-webhooks-'));
    journal = new Journal({ file: join(dir, 'deploys.jsonl'), retentionMs: 3650 * 86_400_000, logger });
    const c = createWebhooks({ journal, credentials: credentials(), rateLimit: 0, host: 'h', logger });
    ({ server, base } = await serve(c.routes ?? []));
  });
  afterEach(async () => {
    await new Promise((r) => server.close(r));
    await journal.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function post(path: string, body: string, headers: Record<string, string> = {}): Promise<Answer> {
    const r = await fetch(base + path, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/json', ...headers },
    });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  }

  describe('POST /api/v1/deploys', () => {
    const auth = { Authorization: 'Bearer tok-1' };
    const event = JSON.stringify({
      namespace: 'shop',
      workload: 'carts',
      revision: '1.4.2',
      image: 'shop/carts:1.4.2',
      author: 'ci',
      message: 'Release 1.4.2\n\nChangelog...',
      url: 'https://ci.example.org/run/9',
      status: 'succeeded',
      startedAt: '2026-11-25T06:00:00.123Z',
      finishedAt: 1795586490.5,
    });

    it('answers 201 with the id once the event is on disk, and 200 with the same id for a duplicate', async () => {
      const first = await post('/api/v1/deploys', event, auth);
      expect(first.status).toBe(201);
      expect(first.body).toEqual({ id: expect.stringMatching(/^api-/), duplicate: false });
      const stored = readFileSync(join(dir, 'deploys.jsonl'), 'utf8');
      expect(stored).toContain(String(first.body.id));
      expect(journal.get(String(first.body.id))).toMatchObject({
        subject: 'Release 1.4.2',
        startedAt: Date.UTC(2026, 10, 25, 6, 0, 0, 123),
        finishedAt: 1795586490500,
        images: [{ container: 'carts', to: 'shop/carts:1.4.2' }],
      });
      const again = await post('/api/v1/deploys', event, { Authorization: 'bearer old-token' });
      expect(again).toEqual({ status: 200, body: { id: first.body.id, duplicate: true } });
      const byId = await post(
        '/api/v1/deploys',
        JSON.stringify({ id: 'ci-77', namespace: 'a', workload: 'b', revision: 'c' }),
        auth,
      );
      expect(byId).toEqual({ status: 201, body: { id: 'ci-77', duplicate: false } });
      const sameId = await post(
        '/api/v1/deploys',
        JSON.stringify({ id: 'ci-77', namespace: 'x', workload: 'y', revision: 'z' }),
        auth,
      );
      expect(sameId).toEqual({ status: 200, body: { id: 'ci-77', duplicate: true } });
    });

    it('refuses an event that ended before the retention window with 400 naming it, and records nothing', async () => {
      // retention here is 3650 days: an event of 2010 would be dropped at once, so 201 would be a lie
      const old = { namespace: 'shop', workload: 'carts', revision: 'ancient', startedAt: '2010-01-01T00:00:00Z' };
      await journal.open();
      const refused = await post('/api/v1/deploys', JSON.stringify(old), auth);
      expect(refused.status).toBe(400);
      expect(refused.body.field).toBe('startedAt');
      expect(String(refused.body.error)).toMatch(/older than the retention window \(--events.retention, 3650 days\)/);
      expect(journal.findByKey('api', 'shop', 'carts', 'ancient')).toBeUndefined();
      expect(readFileSync(join(dir, 'deploys.jsonl'), 'utf8')).not.toContain('ancient');
      // an old start whose end is inside the window is kept: the deploy is still visible
      const ended = await post(
        '/api/v1/deploys',
        JSON.stringify({ ...old, finishedAt: new Date().toISOString() }),
        auth,
      );
      expect(ended.status).toBe(201);
    });

    it('finishes a rollout reported first as started, with or without the finish time', async () => {
      const start = { id: 'orders-1.2.0', namespace: 'shop', workload: 'orders', version: '1.2.0', status: 'started' };
      const first = await post('/api/v1/deploys', JSON.stringify(start), auth);
      expect(first).toEqual({ status: 201, body: { id: 'orders-1.2.0', duplicate: false } });
      const startedAt = journal.get('orders-1.2.0')?.startedAt as number;
      // the finish alone: no startedAt, a finishedAt of whole seconds (possibly before the receipt time)
      const end = Math.floor(Date.now() / 1000) - 1;
      const done = await post(
        '/api/v1/deploys',
        JSON.stringify({ ...start, status: 'succeeded', finishedAt: new Date(end * 1000).toISOString() }),
        auth,
      );
      expect(done).toEqual({ status: 200, body: { id: 'orders-1.2.0', duplicate: true } });
      expect(journal.get('orders-1.2.0')).toMatchObject({
        status: 'succeeded',
        startedAt,
        finishedAt: Math.max(startedAt, end * 1000),
      });
      // a new event given only its end starts no later than it ends
      const once = await post(
        '/api/v1/deploys',
        JSON.stringify({ namespace: 'shop', workload: 'carts', revision: 'r9', finishedAt: end }),
        auth,
      );
      expect(once.status).toBe(201);
      expect(journal.get(String(once.body.id))).toMatchObject({ startedAt: end * 1000, finishedAt: end * 1000 });
    });

    it('answers 401 without credentials and 403 with wrong ones, recording nothing', async () => {
      expect((await post('/api/v1/deploys', event)).status).toBe(401);
      expect((await post('/api/v1/deploys', event, { Authorization: 'Bearer nope' })).status).toBe(403);
      expect((await post('/api/v1/deploys', event, { Authorization: 'Basic dG9rLTE=' })).status).toBe(401);
      expect(journal.size()).toBe(0);
    });

    it('answers 400 naming the offending field', async () => {
      expect(await post('/api/v1/deploys', '{"namespace": "shop",', auth)).toMatchObject({
        status: 400,
        body: { field: 'body' },
      });
      expect(await post('/api/v1/deploys', '[1]', auth)).toMatchObject({ status: 400, body: { field: 'body' } });
      const cases: [Record<string, unknown>, string][] = [
        [{ workload: 'w', revision: 'r' }, 'namespace'],
        [{ namespace: 'n', workload: 7, revision: 'r' }, 'workload'],
        [{ namespace: 'n', workload: 'w' }, 'revision'],
        [{ namespace: 'n', workload: 'w', revision: 'r', startedAt: 'yesterday' }, 'startedAt'],
        [{ namespace: 'n', workload: 'w', revision: 'r', startedAt: 1795500000123 }, 'startedAt'],
        [{ namespace: 'n', workload: 'w', revision: 'r', status: 'done' }, 'status'],
        [{ namespace: 'n', workload: 'w', revision: 'r', replicas: -1 }, 'replicas'],
        [{ namespace: 'n', workload: 'w', revision: 'r', id: 'has space' }, 'id'],
      ];
      for (const [body, field] of cases) {
        const r = await post('/api/v1/deploys', JSON.stringify(body), auth);
        expect([r.status, r.body.field]).toEqual([400, field]);
        expect(String(r.body.error)).toContain(field);
      }
      expect(journal.size()).toBe(0);
    });

    it('answers 413 over 1 MiB, whether declared or streamed', async () => {
      const big = JSON.stringify({ namespace: 'n', workload: 'w', revision: 'r', message: 'x'.repeat(1 << 20) });
      expect((await post('/api/v1/deploys', big, auth)).status).toBe(413);
      const streamed = await new Promise<number>((resolve, reject) => {
        const req = request(
          `${base}/api/v1/deploys`,
          { method: 'POST', headers: { ...auth, 'Transfer-Encoding': 'chunked' } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        for (let i = 0; i < 20; i++) req.write('x'.repeat(100_000));
        req.end();
      });
      expect(streamed).toBe(413);
      expect(journal.size()).toBe(0);
    });
  });

  describe('POST /hooks/github', () => {
    const deployment = fixture('github-deployment.json');
    const status = fixture('github-deployment-status-success.json');
    const headers = (event: string, body: string, secret = 'gh-secret'): Record<string, string> => ({
      'X-GitHub-Event': event,
      'X-GitHub-Delivery': randomUUID(), // unique per delivery, as GitHub sends it (a repeated one is a duplicate)
      'X-Hub-Signature-256': sign('sha256', secret, body),
    });

    it('records a deployment and finishes it with its success status', async () => {
      const created = await post('/hooks/github', deployment, headers('deployment', deployment));
      expect(created).toEqual({ status: 201, body: { id: 'github-1234567', duplicate: false } });
      expect(journal.get('github-1234567')).toMatchObject({
        source: 'github',
        namespace: 'shop',
        workload: 'carts',
        kind: 'Deployment',
        revision: '9f2c1d0e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e',
        author: 'octocat',
        subject: 'Deploy carts 1.4.2',
        status: 'started',
        startedAt: Date.UTC(2026, 10, 25, 6, 0, 0),
      });
      const done = await post('/hooks/github', status, headers('deployment_status', status));
      expect(done).toEqual({ status: 200, body: { id: 'github-1234567', duplicate: true } });
      expect(journal.get('github-1234567')).toMatchObject({
        status: 'succeeded',
        finishedAt: Date.UTC(2026, 10, 25, 6, 3, 20),
      });
      expect(journal.size()).toBe(1);
    });

    it('refuses tampered bodies, wrong secrets and missing signatures', async () => {
      const tampered = deployment.replace('Deploy carts 1.4.2', 'Deploy carts 6.6.6');
      expect((await post('/hooks/github', tampered, headers('deployment', deployment))).status).toBe(403);
      expect((await post('/hooks/github', deployment, headers('deployment', deployment, 'other'))).status).toBe(403);
      const h = headers('deployment', deployment);
      h['X-Hub-Signature-256'] = 'sha256=zz';
      expect((await post('/hooks/github', deployment, h)).status).toBe(403);
      const { 'X-Hub-Signature-256': _, ...unsigned } = headers('deployment', deployment);
      expect((await post('/hooks/github', deployment, unsigned)).status).toBe(401);
      expect(journal.size()).toBe(0);
    });

    it('acknowledges ping and other events without recording, and names missing fields', async () => {
      const ping = '{"zen":"Keep it logically awesome.","hook_id":1}';
      expect(await post('/hooks/github', ping, headers('ping', ping))).toMatchObject({ status: 202 });
      const noSha = JSON.stringify({ deployment: { id: 5, environment: 'prod' } });
      expect(await post('/hooks/github', noSha, headers('deployment', noSha))).toMatchObject({
        status: 400,
        body: { field: 'deployment.sha' },
      });
      expect(journal.size()).toBe(0);
    });
  });

  describe('POST /hooks/flux', () => {
    const event = fixture('flux-kustomization.json');

    it('records the revision of a generic-hmac event', async () => {
      const r = await post('/hooks/flux', event, { 'X-Signature': sign('sha256', 'flux-key', event) });
      expect(r.status).toBe(201);
      expect(journal.get(String(r.body.id))).toMatchObject({
        source: 'flux',
        namespace: 'flux-system',
        workload: 'shop',
        kind: 'Kustomization',
        revision: '9f2c1d0e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e',
        author: 'kustomize-controller',
        subject: 'Deployment/shop/carts configured',
        status: 'succeeded',
        startedAt: Date.UTC(2026, 10, 25, 6, 5),
        finishedAt: Date.UTC(2026, 10, 25, 6, 5),
      });
      const dup = await post('/hooks/flux', event, { 'X-Signature': sign('sha512', 'flux-key', event) });
      expect(dup).toEqual({ status: 200, body: { id: r.body.id, duplicate: true } });
    });

    it('refuses a tampered event and ignores one without a revision', async () => {
      const tampered = event.replace('"info"', '"error"');
      expect((await post('/hooks/flux', tampered, { 'X-Signature': sign('sha256', 'flux-key', event) })).status).toBe(
        403,
      );
      const chatter = JSON.stringify({ ...JSON.parse(event), metadata: {} });
      expect(await post('/hooks/flux', chatter, { 'X-Signature': sign('sha256', 'flux-key', chatter) })).toMatchObject({
        status: 202,
      });
      const noObject = '{"severity":"info","metadata":{"revision":"main@sha1:abc"}}';
      expect(
        await post('/hooks/flux', noObject, { 'X-Signature': sign('sha256', 'flux-key', noObject) }),
      ).toMatchObject({
        status: 400,
        body: { field: 'involvedObject' },
      });
      expect(journal.size()).toBe(0);
    });
  });

  describe('POST /hooks/argocd', () => {
    const event = fixture('argocd-deployed.json');

    it('records a sync from the documented template, once', async () => {
      const r = await post('/hooks/argocd', event, { Authorization: 'Bearer tok-1' });
      expect(r.status).toBe(201);
      expect(journal.get(String(r.body.id))).toMatchObject({
        source: 'argocd',
        namespace: 'shop',
        workload: 'shop',
        kind: 'Application',
        status: 'succeeded',
        startedAt: Date.UTC(2026, 10, 25, 6, 6),
        finishedAt: Date.UTC(2026, 10, 25, 6, 6, 42),
        url: 'https://argocd.example.org/applications/shop',
      });
      expect((await post('/hooks/argocd', event, { Authorization: 'Bearer tok-1' })).status).toBe(200);
      expect((await post('/hooks/argocd', event, { Authorization: 'Bearer wrong' })).status).toBe(403);
      const noValue = JSON.stringify({ ...JSON.parse(event), revision: '<no value>' });
      expect(await post('/hooks/argocd', noValue, { Authorization: 'Bearer tok-1' })).toMatchObject({
        status: 400,
        body: { field: 'revision' },
      });
    });
  });

  it('answers 403 on endpoints whose credentials are not configured', async () => {
    const none: WebhookCredentials = {
      tokens: new BearerTokens([]),
      github: new HmacSecrets([], 'x-hub-signature-256', ['sha256']),
      flux: new HmacSecrets([], 'x-signature', ['sha256']),
    };
    const c = createWebhooks({ journal, credentials: none, rateLimit: 0, host: 'h', logger });
    const s = await serve(c.routes ?? []);
    try {
      const r = await fetch(`${s.base}/api/v1/deploys`, {
        method: 'POST',
        body: '{}',
        headers: { Authorization: 'Bearer x' },
      });
      expect(r.status).toBe(403);
      expect(((await r.json()) as { error: string }).error).toMatch(/disabled: no token/);
    } finally {
      await new Promise((r) => s.server.close(r));
    }
  });

  it('answers 429 to a flood beyond the rate limit and keeps the events it accepted', async () => {
    const c = createWebhooks({ journal, credentials: credentials(), rateLimit: 5, host: 'h', logger });
    const s = await serve(c.routes ?? []);
    try {
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          fetch(`${s.base}/api/v1/deploys`, {
            method: 'POST',
            body: JSON.stringify({ namespace: 'n', workload: `w${i}`, revision: 'r' }),
            headers: { Authorization: 'Bearer tok-1' },
          }).then((r) => r.status),
        ),
      );
      const accepted = answers.filter((a) => a === 201).length;
      expect(answers.filter((a) => a === 429).length).toBe(40 - accepted);
      expect(accepted).toBeGreaterThanOrEqual(1);
      expect(accepted).toBeLessThan(40);
      expect(journal.size()).toBe(accepted);
    } finally {
      await new Promise((r) => s.server.close(r));
    }
  });
});
