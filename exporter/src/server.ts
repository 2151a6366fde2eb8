// The exporter's one HTTP server: the telemetry path renders every collector, /healthz and /readyz report on the
// process and its components, component routes (webhooks...) are mounted by exact path, everything else is 404.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { AddressInfo } from 'node:net';
import type { Collector, Component, Logger, MetricFamily, Route } from './runtime/source';
import { FlagError } from './flags';
import { createAppServer, expectsContinue, markContinue, sendChunks, sendText } from './runtime/http';
import { CONTENT_TYPE, renderExpositionChunks } from './publish/exposition';
import { SelfMetrics } from './runtime/selfMetrics';

export interface ListenAddress {
  /** undefined: every interface (IPv4 and IPv6) */
  host?: string;
  port: number;
}

/** Parses `--web.listen-address`: `:9469`, `0.0.0.0:9469`, `127.0.0.1:0`, `[::1]:9469`, `localhost:9469`. */
export function parseListenAddress(text: string): ListenAddress {
  const m = /^(?:\[([0-9a-fA-F:.%a-zA-Z]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535)
    throw new FlagError(`bad listen address "${text}" (examples: :9469, 127.0.0.1:9469, [::1]:9469)`);
  const host = m[1] ?? m[2];
  return { host: host === '' ? undefined : host, port };
}

export interface ServerOptions {
  components: readonly Component[];
  /** collectors that belong to no component (build info) */
  extraCollectors?: readonly Collector[];
  telemetryPath: string;
  logger: Logger;
}

export interface ExporterServer {
  server: Server;
  listen(address: ListenAddress): Promise<AddressInfo>;
  close(): Promise<void>;
}

/** Collects every collector; one that throws is skipped (and logged) so that a scrape never fails as a whole. */
export function collectAll(collectors: readonly Collector[], logger: Logger): MetricFamily[] {
  const out: MetricFamily[] = [];
  for (const c of collectors) {
    try {
      for (const f of c.collect()) out.push(f);
    } catch (e) {
      logger.error('collector failed', { err: e });
    }
  }
  return out;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** An exact path for express (a telemetry path may hold characters its patterns give a meaning to). */
const exact = (path: string): RegExp => new RegExp(`^${escapeRegExp(path)}$`);

function mount(app: Express, path: string, routes: readonly Route[]): void {
  const allowed = new Set<string>();
  for (const r of routes) {
    const handler = r.handler;
    const wrapped = async (req: Request, res: Response): Promise<void> => {
      // A route that does not decide on `Expect: 100-continue` itself gets it at once, as node:http would.
      if (!r.handlesContinue && expectsContinue(req)) res.writeContinue();
      await handler(req, res);
    };
    const m = r.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
    app[m](exact(path), wrapped);
    allowed.add(r.method);
    if (r.method === 'GET') allowed.add('HEAD');
  }
  const allow = [...allowed].join(', ');
  app.all(exact(path), (_req, res) => {
    res.setHeader('Allow', allow);
    sendText(res, 405, 'method not allowed\n');
  });
}

/** What an error passed to express says about itself (body-parser and http-errors set `status`). */
function statusOf(e: unknown): number {
  const s = (e as { status?: unknown; statusCode?: unknown } | undefined)?.status;
  return typeof s === 'number' && s >= 400 && s < 600 ? s : 500;
}

export function createExporterServer(opts: ServerOptions): ExporterServer {
  const { components, logger, telemetryPath } = opts;
  const collectors = [...components.flatMap((c) => c.collectors), ...(opts.extraCollectors ?? [])];
  const builtIn = new Set([telemetryPath, '/healthz', '/readyz']);
  const routes = new Map<string, Route[]>();
  for (const c of components) {
    for (const r of c.routes ?? []) {
      if (builtIn.has(r.path)) throw new Error(`component ${c.name} route ${r.path} collides with a built-in path`);
      routes.set(r.path, [...(routes.get(r.path) ?? []), r]);
    }
  }
  const reported = new Set<string>();
  const self = new SelfMetrics();

  // One body in the text format: the topology families by the fast writer, then the self part by prom-client.
  const metrics = async (_req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const parts = await self.render(collectAll(collectors, logger));
    const body = renderExpositionChunks(parts.topology, (p) => {
      const key = `${p.family}:${p.problem}`;
      if (!reported.has(key)) logger.error('dropped series', { family: p.family, problem: p.problem });
      reported.add(key);
    });
    body.push(Buffer.from(parts.self));
    sendChunks(res, 200, body, CONTENT_TYPE);
  };

  const readyz = (_req: IncomingMessage, res: ServerResponse): void => {
    const waiting = components.filter((c) => c.ready && !c.ready()).map((c) => c.name);
    if (waiting.length === 0) sendText(res, 200, 'ready\n');
    else sendText(res, 503, `not ready: ${waiting.join(', ')}\n`);
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', false);
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  mount(app, telemetryPath, [{ method: 'GET', path: telemetryPath, handler: metrics }]);
  mount(app, '/healthz', [{ method: 'GET', path: '/healthz', handler: (_q, res) => sendText(res, 200, 'ok\n') }]);
  mount(app, '/readyz', [{ method: 'GET', path: '/readyz', handler: readyz }]);
  for (const [path, list] of routes) mount(app, path, list);
  app.use((_req, res) => sendText(res, 404, 'not found\n'));
  // The one error handler: a handler that throws (or a body it refused) is logged and answered once.
  app.use((e: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = statusOf(e);
    if (status >= 500) logger.error('request failed', { path: req.url, err: e });
    if (res.headersSent) res.destroy();
    else sendText(res, status, status >= 500 ? 'internal error\n' : `${(e as Error).message}\n`);
  });

  const server = createAppServer(app);
  // Without this listener node answers `100 Continue` before any handler runs; with it, the route decides.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    markContinue(req);
    app(req, res);
  });
  // Slow senders: the headers within 10 s, the whole request within 60 s (a route may bound its body tighter).
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;

  return {
    server,
    listen: (address) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(address.port, address.host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      }),
  };
}
