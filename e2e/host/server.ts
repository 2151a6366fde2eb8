// The plugin host's server: serves the host page (dist/host.js), the built plugins' dist folders the way Grafana
// serves public/plugins/<id>/, and plays Grafana's data proxy: /api/datasources/proxy/uid/<uid>/<path> is
// forwarded to the Prometheus given at start.
//
// With a git repository it also shows its commits at /commits/<sha> (the demo's deploy links point there).
//
//   node -r ./scripts/register-swc.js e2e/host/server.ts --prometheus http://127.0.0.1:9090 --port 3000 [--git-repo DIR]
import { execFile } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const HOST_DIST = join(__dirname, 'dist');
const PLUGIN_DIRS = ['panel-plugin', 'datasource-plugin'].map((p) => join(ROOT, p, 'dist'));
/** Grafana serves @grafana/ui's icons from public/build/img/icons; the package ships them. */
const ICONS_PREFIX = '/public/build/img/icons/';
const ICONS_DIR = join(ROOT, 'node_modules', '@grafana', 'ui', 'dist', 'public', 'img', 'icons');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
  '.md': 'text/markdown; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

// data-timescope-scene: the panel describes what it drew in data-scene (tests read it).
const PAGE = `<!doctype html>
<html lang="en" data-timescope-scene><head><meta charset="utf-8"><title>Timescope plugin host</title>
<style>html,body{margin:0;font-family:Inter,Helvetica,Arial,sans-serif;background:#111217}</style></head>
<body><div id="root"></div>
<script>window.grafanaBootData = { settings: {}, user: {}, navTree: [] };</script>
<script src="/host.js"></script></body></html>`;

export interface HostOptions {
  /** Prometheus base URL the data proxy forwards to (none: the proxy answers 502) */
  prometheusUrl?: string;
  port?: number;
  host?: string;
  /** a git repository whose commits are shown at /commits/<sha> */
  gitRepo?: string;
}

export interface RunningHost {
  url: string;
  port: number;
  /** requests forwarded through the data proxy */
  proxied: number;
  setPrometheus(url: string | undefined): void;
  close(): Promise<void>;
}

interface PluginInfo {
  id: string;
  type: string;
  url: string;
  meta: unknown;
}

function plugins(): PluginInfo[] {
  const out: PluginInfo[] = [];
  for (const dir of PLUGIN_DIRS) {
    const file = join(dir, 'plugin.json');
    if (!existsSync(file) || !existsSync(join(dir, 'module.js'))) continue;
    const meta = JSON.parse(readFileSync(file, 'utf8')) as { id: string; type: string };
    out.push({ id: meta.id, type: meta.type, url: `/public/plugins/${meta.id}/module.js`, meta });
  }
  return out;
}

function sendFile(res: ServerResponse, base: string, rel: string): void {
  const file = normalize(join(base, rel));
  if (!file.startsWith(base) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    return;
  }
  res.writeHead(200, {
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Cache-Control': 'no-store',
  });
  createReadStream(file).pipe(res);
}

/** `git show` of one commit, as plain text: the target of the deploy events' commit links in the demo. */
function sendCommit(res: ServerResponse, repo: string | undefined, sha: string): void {
  const text = (status: number, body: string) =>
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(body);
  if (!repo) return void text(404, 'no git repository');
  if (!/^[0-9a-f]{7,40}$/.test(sha)) return void text(400, 'not a commit id');
  execFile('git', ['show', '--stat', '--patch', '--no-color', sha], { cwd: repo, maxBuffer: 4 << 20 }, (err, out) =>
    err ? text(404, `no commit ${sha}`) : text(200, out),
  );
}

function proxy(req: IncomingMessage, res: ServerResponse, target: string | undefined, rest: string): void {
  if (!target) {
    res.writeHead(502, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message: 'no datasource URL' }));
    return;
  }
  const url = new URL(rest, target.endsWith('/') ? target : `${target}/`);
  const up = httpRequest(url, { method: req.method, headers: { ...req.headers, host: url.host, cookie: '' } }, (r) => {
    res.writeHead(r.statusCode ?? 502, r.headers);
    r.pipe(res);
  });
  up.on('error', (e) => {
    if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ message: `datasource unreachable: ${e.message}` }));
  });
  req.pipe(up);
}

export function startHost(opts: HostOptions = {}): Promise<RunningHost> {
  let prometheus = opts.prometheusUrl;
  const state = { proxied: 0 };
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://host');
    const p = u.pathname;
    const m = /^\/api\/datasources\/proxy\/uid\/[^/]+\/(.*)$/.exec(p);
    if (m) {
      state.proxied++;
      proxy(req, res, prometheus, `${m[1]}${u.search}`);
    } else if (p === '/' || p === '/index.html') {
      res.writeHead(200, { 'Content-Type': TYPES['.html'] }).end(PAGE);
    } else if (p === '/api/host/plugins') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(plugins()));
    } else if (p.startsWith(ICONS_PREFIX)) {
      sendFile(res, ICONS_DIR, decodeURIComponent(p.slice(ICONS_PREFIX.length)));
    } else if (p.startsWith('/public/plugins/')) {
      const [id, ...rest] = p.slice('/public/plugins/'.length).split('/');
      const dir = PLUGIN_DIRS.find((d) => {
        const f = join(d, 'plugin.json');
        return existsSync(f) && (JSON.parse(readFileSync(f, 'utf8')) as { id: string }).id === id;
      });
      if (dir) sendFile(res, dir, rest.join('/'));
      else res.writeHead(404).end();
    } else if (p.startsWith('/commits/')) {
      sendCommit(res, opts.gitRepo, p.slice('/commits/'.length));
    } else if (p === '/favicon.ico') {
      res.writeHead(204).end();
    } else {
      sendFile(res, HOST_DIST, decodeURIComponent(p));
    }
  });
  return new Promise((resolveStart, reject) => {
    server.once('error', reject);
    // longer than the browser keeps an idle connection, so that a reused connection is never closed under a request
    // (Node's 5 s default raced the browser under load: "Failed to fetch")
    server.keepAliveTimeout = 120_000;
    server.headersTimeout = 125_000;
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      resolveStart({
        url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
        port,
        get proxied() {
          return state.proxied;
        },
        setPrometheus: (url) => {
          prometheus = url;
        },
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const arg = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  if (!existsSync(join(HOST_DIST, 'host.js'))) {
    console.error('e2e/host/dist/host.js is missing: run scripts/build.sh first');
    process.exit(1);
  }
  const options = { prometheusUrl: arg('prometheus'), port: Number(arg('port') ?? 3000), host: arg('host') };
  startHost({ ...options, gitRepo: arg('git-repo') }).then(
    (h) => {
      console.log(`plugin host on ${h.url} (data proxy -> ${arg('prometheus') ?? 'none'})`);
      const stop = () => void h.close().then(() => process.exit(0));
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    },
    (e: Error) => {
      console.error(e.message);
      process.exit(1);
    },
  );
}
