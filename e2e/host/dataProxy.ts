// The plugin host's data proxy, behaving as Grafana's (pkg/api/pluginproxy/ds_proxy.go of grafana/grafana):
// /api/datasources/proxy/uid/<uid>/<path> goes to the datasource's URL with the datasource's basic auth and custom
// headers (jsonData.httpHeaderName<n> / secureJsonData.httpHeaderValue<n>) instead of the browser's credentials; an
// upstream 401 becomes 400 "Authentication to data source failed" (so the browser's login is not thrown away); an
// upstream that sends no response headers within the timeout (Grafana's [dataproxy] timeout, 30 s by default)
// gets 502.
import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** The parts of a Grafana datasource instance the data proxy uses. */
export interface DatasourceSettings {
  url?: string;
  basicAuth?: boolean;
  basicAuthUser?: string;
  jsonData?: Record<string, unknown>;
  /** never sent to the browser (Grafana only tells which keys are set: secureJsonFields) */
  secureJsonData?: Record<string, string>;
}

export const DEFAULT_PROXY_TIMEOUT_MS = 30_000;
export const AUTH_FAILED = 'Authentication to data source failed';

/** Headers Grafana does not pass on from the browser to a datasource. */
const DROPPED = ['cookie', 'authorization', 'host', 'origin', 'referer', 'connection'];

export function upstreamHeaders(incoming: IncomingMessage['headers'], ds: DatasourceSettings): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(incoming)) if (!DROPPED.includes(k) && v !== undefined) out[k] = v;
  if (ds.basicAuth && ds.basicAuthUser) {
    const password = ds.secureJsonData?.basicAuthPassword ?? '';
    out.authorization = `Basic ${Buffer.from(`${ds.basicAuthUser}:${password}`).toString('base64')}`;
  }
  for (const [key, name] of Object.entries(ds.jsonData ?? {})) {
    const n = /^httpHeaderName(\d+)$/.exec(key)?.[1];
    if (!n || typeof name !== 'string' || !name) continue;
    out[name.toLowerCase()] = ds.secureJsonData?.[`httpHeaderValue${n}`] ?? '';
  }
  return out;
}

function fail(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message }));
}

/** Forwards one request (`rest`: the path after the uid, with its query string) to the datasource. */
export function forward(
  req: IncomingMessage,
  res: ServerResponse,
  ds: DatasourceSettings,
  rest: string,
  timeoutMs = DEFAULT_PROXY_TIMEOUT_MS,
): void {
  if (!ds.url) return fail(res, 502, 'no datasource URL');
  const base = ds.url.endsWith('/') ? ds.url : `${ds.url}/`;
  const url = new URL(rest, base);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const headers = { ...upstreamHeaders(req.headers, ds), host: url.host };
  const up = send(url, { method: req.method, headers }, (r) => {
    clearTimeout(timer);
    if (r.statusCode === 401) {
      r.resume();
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' }).end(AUTH_FAILED);
      return;
    }
    res.writeHead(r.statusCode ?? 502, r.headers);
    r.pipe(res);
  });
  const timer = setTimeout(() => {
    up.destroy();
    fail(res, 502, `datasource did not answer within ${timeoutMs} ms`);
  }, timeoutMs);
  up.on('error', (e) => {
    clearTimeout(timer);
    fail(res, 502, `datasource unreachable: ${e.message}`);
  });
  req.on('aborted', () => up.destroy());
  req.pipe(up);
}
