// A small HTTP server in front of (or instead of) Prometheus, for the failure cases a real Prometheus will not
// produce on demand: credentials refused (401), 4xx/5xx answers, an answer that never comes, partial data
// (`warnings` in a successful answer, as Prometheus sends when a remote store failed). `forward` passes requests to
// a real Prometheus, so only the failure is staged.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Behaviour =
  | { kind: 'forward'; to: string; warnings?: string[] }
  | { kind: 'status'; status: number; body: string; contentType?: string }
  /** answers 401 unless the request carries this Authorization header, then forwards */
  | { kind: 'auth'; authorization: string; to: string }
  /** accepts the request and never answers */
  | { kind: 'hang' };

export interface Upstream {
  url: string;
  behaviour: Behaviour;
  /** requests received so far */
  readonly received: number;
  /** requests currently open (received, not answered, connection not closed) */
  readonly open: number;
  /** requests whose connection the client closed before an answer */
  readonly abandoned: number;
  close(): Promise<void>;
}

function forward(req: IncomingMessage, res: ServerResponse, to: string, warnings?: string[]): void {
  const url = new URL(req.url ?? '/', to);
  // no compression: the answer is read (and may be rewritten) here
  const headers = { ...req.headers, host: url.host, 'accept-encoding': 'identity' };
  const up = httpRequest(url, { method: req.method, headers }, (r) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => {
      let body = Buffer.concat(chunks).toString();
      if (warnings && r.statusCode === 200) {
        body = JSON.stringify({ ...(JSON.parse(body) as object), warnings });
      }
      res.writeHead(r.statusCode ?? 502, { 'Content-Type': 'application/json' }).end(body);
    });
  });
  up.on('error', (e) => res.writeHead(502).end(JSON.stringify({ message: e.message })));
  req.pipe(up);
}

export function startUpstream(behaviour: Behaviour): Promise<Upstream> {
  const state = { received: 0, open: 0, abandoned: 0 };
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    state.received++;
    state.open++;
    // one request per connection: a client never reuses a socket this server is closing (undici then resends
    // the request, which would blur the counts)
    res.setHeader('Connection', 'close');
    let done = false;
    res.on('finish', () => {
      done = true;
      state.open--;
    });
    res.on('close', () => {
      if (!done) {
        state.open--;
        state.abandoned++;
      }
    });
    const b = api.behaviour;
    if (b.kind === 'forward') forward(req, res, b.to, b.warnings);
    else if (b.kind === 'status')
      res.writeHead(b.status, { 'Content-Type': b.contentType ?? 'application/json' }).end(b.body);
    else if (b.kind === 'auth') {
      if (req.headers.authorization === b.authorization) forward(req, res, b.to);
      else
        res
          .writeHead(401, { 'Content-Type': 'text/plain', 'WWW-Authenticate': 'Basic realm="prometheus"' })
          .end('Unauthorized\n');
    }
    // hang: keep the request open
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const api: Upstream = {
    url: '',
    behaviour,
    get received() {
      return state.received;
    },
    get open() {
      return state.open;
    },
    get abandoned() {
      return state.abandoned;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve(api);
    });
  });
}
