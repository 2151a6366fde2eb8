// Cases 5, 6 and 9 of issue 15 against the real exporter over real sockets: stalled unauthenticated uploads, budgets
// per credential and per peer, and `Expect: 100-continue`. Loopback peers 127.0.0.2... are distinct addresses.
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@timescope/common/testing';
import { startExporter, type RunningExporter } from '../../cli';

jest.setTimeout(60_000);

const GH_SECRET = 'gh-secret';
const sign = (body: string, secret = GH_SECRET): string =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
const event = (i: number): string => JSON.stringify({ namespace: 'n', workload: `w${i}`, revision: `r${i}` });
const githubDeployment = (id: number): string =>
  JSON.stringify({
    deployment: {
      id,
      sha: id.toString(16).padStart(40, 'a'),
      ref: 'main',
      environment: 'prod',
      created_at: new Date(Date.now() - 3_600_000).toISOString(), // inside the default retention
      payload: { namespace: 'shop', workload: 'carts' },
    },
    repository: { full_name: 'shop/carts' },
    sender: { login: 'octocat' },
  });

/** A raw HTTP/1.1 connection from a given loopback address: what it received so far, and whether it closed. */
class RawClient {
  readonly socket: Socket;
  received = '';
  closed = false;

  constructor(port: number, localAddress: string) {
    this.socket = connect({ host: '127.0.0.1', port, localAddress });
    this.socket.setEncoding('latin1');
    this.socket.on('data', (d: string) => (this.received += d));
    this.socket.on('close', () => (this.closed = true));
    this.socket.on('error', () => undefined);
  }

  send(text: string): void {
    this.socket.write(text);
  }

  /** status codes of the answers received so far (100 included) */
  statuses(): number[] {
    return [...this.received.matchAll(/^HTTP\/1\.1 (\d{3}) /gm)].map((m) => Number(m[1]));
  }
}

function head(path: string, headers: Record<string, string | number>): string {
  return `POST ${path} HTTP/1.1\r\nHost: x\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
}

async function post(
  base: string,
  path: string,
  body: string,
  headers: Record<string, string>,
  localAddress?: string,
): Promise<number> {
  // node:http for the source address (fetch cannot choose one)
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      { method: 'POST', localAddress, headers: { 'Content-Type': 'application/json', ...headers }, agent: false },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A GitHub `deployment` delivery signed with `secret` (the exporter's by default). */
function postGithub(base: string, body: string, localAddress: string, secret = GH_SECRET): Promise<number> {
  return post(
    base,
    '/hooks/github',
    body,
    { 'X-GitHub-Event': 'deployment', 'X-Hub-Signature-256': sign(body, secret) },
    localAddress,
  );
}

describe('webhook admission', () => {
  let exporter: RunningExporter | undefined;
  let dir: string;
  let port: number;
  let base: string;

  async function start(flags: string[], tokens = 'tok-a\ntok-b'): Promise<void> {
    dir = mkdtempSync(join(tmpdir(), 'timescope-admission-'));
    exporter = await startExporter(
      [
        '--web.listen-address=127.0.0.1:0',
        '--log.level=error',
        '--no-collector.procfs',
        `--events.path=${dir}`,
        ...flags,
      ],
      { TIMESCOPE_WEBHOOKS_TOKEN: tokens, TIMESCOPE_WEBHOOKS_GITHUB_SECRET: GH_SECRET },
      undefined,
      () => undefined,
    );
    if (!exporter) throw new Error('not started');
    port = (exporter.server.server.address() as { port: number }).port;
    base = `http://127.0.0.1:${port}`;
  }
  /** The statuses a raw request's head from 127.0.0.1 gets until the exporter closes the connection. */
  async function answersBeforeClose(path: string, headers: Record<string, string | number>): Promise<number[]> {
    const c = new RawClient(port, '127.0.0.1');
    c.send(head(path, headers));
    await waitFor('answer', async () => c.closed);
    return c.statuses();
  }
  afterEach(async () => {
    await exporter?.stop();
    exporter = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('case 5: 250 stalled unauthenticated uploads do not make a legitimate webhook get 429; trickled bodies get 408 and free their slots', async () => {
    await start(['--webhooks.read-timeout=8s']);
    const stalled: RawClient[] = [];
    for (let i = 0; i < 250; i++) {
      const c = new RawClient(port, `127.0.0.${2 + (Math.floor(i / 2) % 10)}`);
      // half claim a GitHub signature (only the body can disprove it), half carry no credentials at all
      c.send(
        i % 2 === 0
          ? head('/hooks/github', {
              'X-GitHub-Event': 'deployment',
              'X-Hub-Signature-256': `sha256=${'ab'.repeat(32)}`,
              'Content-Length': 10_000,
            })
          : head('/api/v1/deploys', { 'Content-Type': 'application/json', 'Content-Length': 10_000 }),
      );
      c.send('{"namespa');
      stalled.push(c);
    }
    // the unauthenticated ones are answered from the headers: 401 at once, the body never read
    await waitFor('401s', async () => stalled.filter((c, i) => i % 2 === 1 && c.statuses()[0] === 401).length === 125);
    // the claimed signatures: at most 8 bodies per peer are read, the others 429 at once
    await waitFor('429s', async () => stalled.some((c) => c.statuses()[0] === 429));

    // meanwhile: a bearer sender from an attacking address and a GitHub delivery from another address go through
    expect(await post(base, '/api/v1/deploys', event(1), { Authorization: 'Bearer tok-a' }, '127.0.0.2')).toBe(201);
    const gh = githubDeployment(77);
    expect(await postGithub(base, gh, '127.0.0.1')).toBe(201);

    // at most 8 per peer (10 peers) are being read; they time out: 408, the connection closed (the slot freed)
    const github = stalled.filter((_c, i) => i % 2 === 0);
    const trickling = github.filter((c) => c.statuses().length === 0);
    expect(trickling.length).toBeGreaterThan(0);
    expect(trickling.length).toBeLessThanOrEqual(80);
    await waitFor('408s', async () => trickling.every((c) => c.statuses()[0] === 408 && c.closed));
    await waitFor('every answer', async () => github.every((c) => c.statuses().length > 0));
    const answered = github.map((c) => c.statuses()[0]);
    expect(answered.every((s) => s === 408 || s === 429)).toBe(true);
    expect(answered.filter((s) => s === 408).length).toBeGreaterThanOrEqual(80);
    const gh2 = githubDeployment(78);
    expect(await postGithub(base, gh2, '127.0.0.2')).toBe(201);
    for (const c of stalled) c.socket.destroy();
  });

  it('case 6: failed authentications spend only the peer failure budget; each credential has its own budget', async () => {
    await start(['--webhooks.rate-limit=5']);
    // 40 wrong tokens from one peer: the first ones 403, then 429 for that peer's failures
    const bad: number[] = [];
    for (let i = 0; i < 40; i++) {
      bad.push(await post(base, '/api/v1/deploys', event(i), { Authorization: 'Bearer wrong' }, '127.0.0.3'));
    }
    expect(bad.filter((s) => s === 403).length).toBeGreaterThanOrEqual(10);
    expect(bad.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(bad.every((s) => s === 403 || s === 429)).toBe(true);
    // ... and wrong GitHub signatures from another peer
    const gh = githubDeployment(5);
    for (let i = 0; i < 20; i++) {
      await postGithub(base, gh, '127.0.0.4', 'other');
    }
    // the legitimate senders' budgets are untouched, from the attacking peer too
    expect(await post(base, '/api/v1/deploys', event(100), { Authorization: 'Bearer tok-a' }, '127.0.0.3')).toBe(201);
    expect(await postGithub(base, gh, '127.0.0.5')).toBe(201);
    // one credential over its budget is answered 429; the other still goes through
    const flood = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        post(base, '/api/v1/deploys', event(200 + i), { Authorization: 'Bearer tok-a' }),
      ),
    );
    expect(flood.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(flood.every((s) => s === 201 || s === 429)).toBe(true);
    expect(await post(base, '/api/v1/deploys', event(300), { Authorization: 'Bearer tok-b' })).toBe(201);
  });

  it('case 9: Expect: 100-continue is answered only after the credentials are checked', async () => {
    await start([]);
    const body = event(9);
    const expect100 = { 'Content-Type': 'application/json', 'Content-Length': body.length, Expect: '100-continue' };

    expect(await answersBeforeClose('/api/v1/deploys', { ...expect100, Authorization: 'Bearer wrong' })).toEqual([403]);

    expect(await answersBeforeClose('/hooks/github', { ...expect100, 'X-GitHub-Event': 'deployment' })).toEqual([401]);

    expect(await answersBeforeClose('/api/v1/deploys', expect100)).toEqual([401]);

    const good = new RawClient(port, '127.0.0.1');
    good.send(head('/api/v1/deploys', { ...expect100, Authorization: 'Bearer tok-b' }));
    await waitFor('100 Continue', async () => good.statuses().length > 0);
    expect(good.statuses()).toEqual([100]);
    good.send(body);
    await waitFor('answer', async () => good.statuses().length > 1);
    expect(good.statuses()).toEqual([100, 201]);
    good.socket.destroy();
  });
});
