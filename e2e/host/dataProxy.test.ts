// The host's data proxy against a real upstream HTTP server over loopback, as Grafana's would behave: the
// datasource's credentials and headers instead of the browser's, an upstream 401 as 400, a timeout as 502.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AUTH_FAILED, DEFAULT_PROXY_TIMEOUT_MS } from './dataProxy';
import { startHost, type RunningHost } from './server';

interface Seen {
  url: string;
  authorization?: string;
  tenant?: string;
  cookie?: string;
}

describe('plugin host data proxy', () => {
  let upstream: Server;
  let base: string;
  const seen: Seen[] = [];
  const hosts: RunningHost[] = [];

  beforeAll(async () => {
    upstream = createServer((req: IncomingMessage, res) => {
      seen.push({
        url: req.url ?? '',
        authorization: req.headers.authorization,
        tenant: req.headers['x-scope-orgid'] as string | undefined,
        cookie: req.headers.cookie,
      });
      if (req.url?.startsWith('/private')) return void res.writeHead(401).end('bad credentials');
      if (req.url?.startsWith('/slow')) return; // never answers
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"success"}');
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const h of hosts) await h.close();
    upstream.closeAllConnections();
    await new Promise((r) => upstream.close(r));
  });

  async function host(opts: Parameters<typeof startHost>[0]): Promise<RunningHost> {
    const h = await startHost({ prometheusUrl: base, ...opts });
    hosts.push(h);
    return h;
  }

  it("adds the datasource's basic auth and custom headers, not the browser's cookie or credentials", async () => {
    const h = await host({
      datasource: {
        basicAuth: true,
        basicAuthUser: 'grafana',
        jsonData: { httpHeaderName1: 'X-Scope-OrgID' },
        secureJsonData: { basicAuthPassword: 's3cret', httpHeaderValue1: 'tenant-a' },
      },
    });
    const r = await fetch(`${h.url}/api/datasources/proxy/uid/timescope/api/v1/query?query=up`, {
      headers: { cookie: 'grafana_session=abc', authorization: 'Bearer browser' },
    });
    expect(r.status).toBe(200);
    expect(seen.at(-1)).toEqual({
      url: '/api/v1/query?query=up',
      authorization: `Basic ${Buffer.from('grafana:s3cret').toString('base64')}`,
      tenant: 'tenant-a',
      cookie: undefined,
    });
  });

  it('tells the browser which secure settings are set, never their values', async () => {
    const h = await host({ datasource: { jsonData: { a: 1 }, secureJsonData: { basicAuthPassword: 's3cret' } } });
    const text = await (await fetch(`${h.url}/api/host/datasource`)).text();
    expect(JSON.parse(text)).toMatchObject({ jsonData: { a: 1 }, secureJsonFields: { basicAuthPassword: true } });
    expect(text).not.toContain('s3cret');
  });

  it('turns an upstream 401 into 400 "Authentication to data source failed"', async () => {
    const h = await host({});
    const r = await fetch(`${h.url}/api/datasources/proxy/uid/timescope/private/api/v1/query`);
    expect(r.status).toBe(400);
    expect(await r.text()).toBe(AUTH_FAILED);
  });

  it('gives up on an upstream that does not answer within the timeout, with 502', async () => {
    const h = await host({ proxyTimeoutMs: 300 });
    const r = await fetch(`${h.url}/api/datasources/proxy/uid/timescope/slow/api/v1/query`);
    expect(r.status).toBe(502);
    expect(((await r.json()) as { message: string }).message).toMatch(/did not answer within 300 ms/);
  });

  it("waits Grafana's default [dataproxy] timeout, 30 s, unless told otherwise", () => {
    expect(DEFAULT_PROXY_TIMEOUT_MS).toBe(30_000);
  });
});
