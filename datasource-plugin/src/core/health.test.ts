// "Save & test" against a real Prometheus (with and without timescope_ series), a closed port and a server that
// refuses the credentials (401), both over the core's fetch client and over Grafana's backend fetch (data proxy,
// which turns the 401 into its 400 "Authentication to data source failed").
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort, startPrometheus, waitFor, type RunningPrometheus } from '@timescope/common/testing';
import { backendSrvPromClient } from '../backendSrvClient';
import { backendFetch, PROXY_PREFIX } from '../testutil/backendFetch';
import { startUpstream, type Upstream } from '../testutil/upstream';
import { checkHealth } from './health';
import { fetchPromClient, type PromClient } from './promClient';

jest.setTimeout(120_000);

let exporter: Server;
let withSeries: RunningPrometheus;
let without: RunningPrometheus;
let auth: Upstream;
let closedUrl: string;

beforeAll(async () => {
  // a stand-in exporter exposing two timescope_ series in the text format, scraped every second
  exporter = createServer((_req, res) =>
    res
      .writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' })
      .end(
        'timescope_host_info{node="host:a",kind="host",name="a",host="a",namespace="",parent="",kernel="6",os="linux"} 1\n' +
          'timescope_source_up{source="procfs",host="a"} 1\n',
      ),
  );
  await new Promise<void>((r) => exporter.listen(0, '127.0.0.1', () => r()));
  const port = (exporter.address() as AddressInfo).port;
  [withSeries, without] = await Promise.all([
    startPrometheus({ targets: [`127.0.0.1:${port}`], scrapeInterval: '1s' }),
    startPrometheus(),
  ]);
  auth = await startUpstream({ kind: 'auth', authorization: 'Bearer right', to: withSeries.url });
  closedUrl = `http://127.0.0.1:${await freePort()}`;
  await waitFor(
    'a first scrape',
    async () => (await checkHealth(fetchPromClient({ url: withSeries.url }), '')).status === 'success',
    60_000,
  );
});

afterAll(async () => {
  await Promise.all([withSeries?.stop(), without?.stop(), auth?.close()]);
  await new Promise((r) => exporter?.close(r));
});

type Via = (url: string, headers?: Record<string, string>) => PromClient;
const direct: Via = (url, headers) => fetchPromClient({ url, headers });
const proxied: Via = (url) => backendSrvPromClient({ url: PROXY_PREFIX, fetch: backendFetch(() => url) });

describe.each([
  ['the fetch client', direct],
  ["Grafana's backend fetch", proxied],
])('health check over %s', (_name, via) => {
  it('succeeds and counts the series when timescope_ series exist', async () => {
    const h = await checkHealth(via(withSeries.url), withSeries.url);
    expect(h.status).toBe('success');
    expect(h.message).toMatch(/^Connected to Prometheus 2\.x \(2\.\d+[^)]*\): 2 timescope_ metrics, 2 series\.$/);
  });

  it('says no timescope_ series were found on a Prometheus without them', async () => {
    const h = await checkHealth(via(without.url), without.url);
    expect(h.status).toBe('error');
    expect(h.message).toMatch(/^Connected to Prometheus, but no timescope_ series found/);
  });

  it('says Prometheus is unreachable on a closed port', async () => {
    const h = await checkHealth(via(closedUrl), closedUrl);
    expect(h.status).toBe('error');
    expect(h.message).toMatch(new RegExp(`^Cannot reach Prometheus at ${closedUrl}: Prometheus is unreachable`));
    expect(h.message).toContain('Check the URL and that Prometheus is running.');
  });

  it('says the credentials were refused on a 401', async () => {
    const h = await checkHealth(via(auth.url), auth.url);
    expect(h.status).toBe('error');
    expect(h.message).toMatch(/^Prometheus refused the credentials \(HTTP 401\)/);
    expect(h.message).toContain('Check the basic auth user and password or the bearer token.');
  });

  it('says "authentication refused", not "wrong URL", when the credentials are refused', async () => {
    const h = await checkHealth(via(auth.url), auth.url);
    expect(h.message).toContain('authentication refused');
    expect(h.message).not.toMatch(/base URL/);
  });
});

it('reads Grafana\'s data proxy 400 "Authentication to data source failed" as refused credentials', async () => {
  // the answer exactly as Grafana's data proxy sends it (text body, status 400), met by a client in front of it
  const grafana = await startUpstream({
    kind: 'status',
    status: 400,
    body: 'Authentication to data source failed',
    contentType: 'text/plain',
  });
  try {
    const h = await checkHealth(direct(grafana.url), grafana.url);
    expect(h.status).toBe('error');
    expect(h.message).toMatch(/^Prometheus refused the credentials \(HTTP 401\)/);
    expect(h.message).toContain('authentication refused');
    expect(h.message).not.toMatch(/base URL/);
  } finally {
    await grafana.close();
  }
});

it('still says a plain 400 from the URL is a wrong URL', async () => {
  const other = await startUpstream({ kind: 'status', status: 400, body: 'Bad Request', contentType: 'text/plain' });
  try {
    const h = await checkHealth(direct(other.url), other.url);
    expect(h.message).toMatch(/HTTP 400.*Is .* the base URL of a Prometheus server/);
    expect(h.message).not.toContain('authentication refused');
  } finally {
    await other.close();
  }
});

it('passes with the right credentials', async () => {
  const h = await checkHealth(direct(auth.url, { Authorization: 'Bearer right' }), auth.url);
  expect(h.status).toBe('success');
  expect(h.message).toMatch(/^Connected to Prometheus 2\.x \(2\.\d+[^)]*\): 2 timescope_ metrics, 2 series\.$/);
});

it('says the URL is not a Prometheus base URL when the API path is not found', async () => {
  const h = await checkHealth(direct(`${withSeries.url}/api/v1`), `${withSeries.url}/api/v1`);
  expect(h.status).toBe('error');
  expect(h.message).toMatch(/HTTP 404.*Is .* the base URL of a Prometheus server \(without \/api\/v1\)\?/);
});
