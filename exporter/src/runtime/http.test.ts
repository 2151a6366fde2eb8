import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createAppServer, sendChunks } from './http';

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

describe('sendChunks', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  /** 40 chunks of 50,000 bytes, each filled with its own letter, sent in slices of 128 KiB */
  const chunks = Array.from({ length: 40 }, (_, i) => Buffer.alloc(50_000, 65 + (i % 26)));
  const serve = async (onSent?: () => void): Promise<number> => {
    server = createServer((_req, res) => {
      sendChunks(res, 200, chunks, 'text/plain', 128 * 1024);
      res.once('close', () => onSent?.());
    });
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
    return (server.address() as AddressInfo).port;
  };

  it('sends every chunk in order, sliced, with the whole length declared', async () => {
    const port = await serve();
    for (const method of ['GET', 'HEAD']) {
      const r = await fetch(`http://127.0.0.1:${port}/`, { method });
      expect(r.headers.get('content-length')).toBe(String(40 * 50_000));
      const body = Buffer.from(await r.arrayBuffer());
      expect(body.equals(method === 'GET' ? Buffer.concat(chunks) : Buffer.alloc(0))).toBe(true);
    }
  });

  it('stops when the client goes away in the middle of the body', async () => {
    let closed!: () => void;
    const gone = new Promise<void>((r) => (closed = r));
    const port = await serve(closed);
    await new Promise<void>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/' }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.end();
    });
    await gone; // the response closed without an error thrown, and the server still answers
    const r = await fetch(`http://127.0.0.1:${port}/`);
    expect((await r.arrayBuffer()).byteLength).toBe(40 * 50_000);
  });
});
