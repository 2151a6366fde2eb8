import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createAppServer } from './http';

describe('createAppServer', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  it('gives requests and responses the express prototypes at birth, and express still works on them', async () => {
    const app = express();
    app.disable('x-powered-by');
    app.post('/echo', express.raw({ type: () => true }), (req, res) => {
      res.status(201).json({ host: req.get('host'), same: req.app === app && res.app === app, body: String(req.body) });
    });
    app.get('/redirect', (_req, res) => res.redirect(302, '/echo'));
    server = createAppServer(app);
    const born: object[] = [];
    // before express sees it: the prototype node:http created the request with
    server.prependListener('request', (req: IncomingMessage, res) => {
      born.push(Object.getPrototypeOf(req) as object, Object.getPrototypeOf(res) as object);
    });
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const r = await fetch(`${base}/echo`, { method: 'POST', body: 'hello' });
    expect(r.status).toBe(201);
    expect(await r.json()).toEqual({ host: new URL(base).host, same: true, body: 'hello' });
    expect(born).toEqual([app.request, app.response]);
    const moved = await fetch(`${base}/redirect`, { redirect: 'manual' });
    expect([moved.status, moved.headers.get('location')]).toEqual([302, '/echo']);
  });
});
