// A query's one signal is shared by all its requests: finished requests leave no listener on it (they piled up
// before, one per request: Node's MaxListenersExceededWarning in the scale-out e2e), and aborting it still
// cancels the requests in flight.
import { getEventListeners } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { childController } from './abortable';
import { fetchPromClient, PrometheusError } from './promClient';

let server: Server;
let url: string;
const held: Array<() => void> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const answer = (): void => {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } }));
    };
    // a request whose body says "hold" is answered only when the test lets it go
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => (body.includes('hold') ? held.push(answer) : answer()));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  held.splice(0).forEach((a) => a());
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('a shared abort signal', () => {
  it('holds no listener once its 50 requests are answered', async () => {
    const query = new AbortController();
    const client = fetchPromClient({ url });
    await Promise.all(Array.from({ length: 50 }, (_, i) => client.instant(`vector(${i})`, 1, query.signal)));
    expect(getEventListeners(query.signal, 'abort')).toHaveLength(0);
  });

  it('holds one listener while its 50 requests are in flight', async () => {
    const query = new AbortController();
    const client = fetchPromClient({ url });
    const pending = Array.from({ length: 50 }, (_, i) => client.instant(`hold ${i}`, 1, query.signal));
    while (held.length < 50) await new Promise((r) => setTimeout(r, 5));
    expect(getEventListeners(query.signal, 'abort')).toHaveLength(1);
    held.splice(0).forEach((a) => a());
    await Promise.all(pending);
    expect(getEventListeners(query.signal, 'abort')).toHaveLength(0);
  });

  it('still cancels the requests in flight when it is aborted', async () => {
    const query = new AbortController();
    const client = fetchPromClient({ url });
    const pending = client.instant('hold', 1, query.signal);
    while (held.length === 0) await new Promise((r) => setTimeout(r, 5));
    query.abort();
    held.splice(0);
    await expect(pending).rejects.toEqual(new PrometheusError('cancelled', 'the query was cancelled'));
    expect(getEventListeners(query.signal, 'abort')).toHaveLength(0);
  });

  it('a released child controller no longer follows its parent', () => {
    const parent = new AbortController();
    const child = childController(parent.signal);
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(1);
    child.release();
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
    parent.abort();
    expect(child.signal.aborted).toBe(false);
  });
});
