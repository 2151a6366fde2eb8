// The preview server: the plugin host page (e2e/host, the panel as Grafana would run it) as static files, Prometheus
// behind /api/prometheus (same origin, so the page's queries need no CORS) and the GitOps repository's commits at
// /commits/<sha> (the deploy events' links).
import { execFile } from 'node:child_process';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
};

export interface PreviewOptions {
  /** folder of the built plugin host page (index.html, bundle) */
  hostDir: string;
  prometheusUrl: string;
  gitRepo: string;
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(body);
}

function proxy(req: IncomingMessage, res: ServerResponse, target: string): void {
  const url = new URL(target);
  const upstream = request(
    { host: url.hostname, port: url.port, path: url.pathname + url.search, method: req.method, headers: req.headers },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  upstream.on('error', (e) => text(res, 502, `prometheus: ${e.message}`));
  req.pipe(upstream);
}

function commit(res: ServerResponse, repo: string, sha: string): void {
  if (!/^[0-9a-f]{7,40}$/.test(sha)) return text(res, 400, 'not a commit id');
  execFile('git', ['show', '--stat', '--patch', '--no-color', sha], { cwd: repo, maxBuffer: 4 << 20 }, (err, out) =>
    err ? text(res, 404, `no commit ${sha}`) : text(res, 200, out),
  );
}

function file(res: ServerResponse, dir: string, path: string): void {
  const rel = normalize(decodeURIComponent(path)).replace(/^(\.\.(\/|\\|$))+/, '');
  let full = join(dir, rel);
  if (!full.startsWith(dir + sep) && full !== dir) return text(res, 403, 'forbidden');
  if (existsSync(full) && statSync(full).isDirectory()) full = join(full, 'index.html');
  if (!existsSync(full)) return text(res, 404, 'not found');
  res.writeHead(200, { 'content-type': TYPES[extname(full)] ?? 'application/octet-stream' });
  createReadStream(full).pipe(res);
}

export function createPreviewServer(opts: PreviewOptions): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://preview');
    if (url.pathname.startsWith('/api/prometheus/')) {
      const rest = url.pathname.slice('/api/prometheus'.length) + url.search;
      return proxy(req, res, opts.prometheusUrl + rest);
    }
    const m = /^\/commits\/([^/]+)$/.exec(url.pathname);
    if (m) return commit(res, opts.gitRepo, m[1]);
    file(res, opts.hostDir, url.pathname);
  });
}

export function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : port);
    });
  });
}
