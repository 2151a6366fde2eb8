// The exporter's one HTTP server: the telemetry path renders every collector, /healthz and /readyz report on the
// process and its components, component routes (webhooks...) are mounted by exact path, everything else is 404.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Collector, Component, Logger, MetricFamily, Route } from './runtime/source';
import { FlagError } from './flags';
import { sendText } from './runtime/http';
import { CONTENT_TYPE, renderExpositionBuffer } from './publish/exposition';
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

export function createExporterServer(opts: ServerOptions): ExporterServer {
  const { components, logger, telemetryPath } = opts;
  const collectors = [...components.flatMap((c) => c.collectors), ...(opts.extraCollectors ?? [])];
  const routes = new Map<string, Route[]>();
  for (const c of components) {
    for (const r of c.routes ?? []) {
      if (r.path === telemetryPath || r.path === '/healthz' || r.path === '/readyz') {
        throw new Error(`component ${c.name} route ${r.path} collides with a built-in path`);
      }
      routes.set(r.path, [...(routes.get(r.path) ?? []), r]);
    }
  }
  const reported = new Set<string>();

  const self = new SelfMetrics();

  // One body in the text format: the topology families by the fast writer, then the self part by prom-client.
  const metrics = async (res: ServerResponse): Promise<void> => {
    const parts = await self.render(collectAll(collectors, logger));
    const body = renderExpositionBuffer(parts.topology, (p) => {
      const key = `${p.family}:${p.problem}`;
      if (!reported.has(key)) logger.error('dropped series', { family: p.family, problem: p.problem });
      reported.add(key);
    });
    sendText(res, 200, Buffer.concat([body, Buffer.from(parts.self)]), CONTENT_TYPE);
  };

  const readyz = (res: ServerResponse): void => {
    const waiting = components.filter((c) => c.ready && !c.ready()).map((c) => c.name);
    if (waiting.length === 0) sendText(res, 200, 'ready\n');
    else sendText(res, 503, `not ready: ${waiting.join(', ')}\n`);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    const method = req.method ?? 'GET';
    const getLike = method === 'GET' || method === 'HEAD';
    if (path === telemetryPath && getLike) return metrics(res);
    if (path === '/healthz' && getLike) return sendText(res, 200, 'ok\n');
    if (path === '/readyz' && getLike) return readyz(res);
    const candidates = routes.get(path);
    if (!candidates) return sendText(res, 404, 'not found\n');
    const route = candidates.find((r) => r.method === method);
    if (!route) {
      res.setHeader('Allow', candidates.map((r) => r.method).join(', '));
      return sendText(res, 405, 'method not allowed\n');
    }
    await route.handler(req, res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      logger.error('request failed', { path: req.url, err: e });
      if (!res.headersSent) sendText(res, 500, 'internal error\n');
      else res.destroy();
    });
  });

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
