// The plugin host's server: serves the host page (dist/<line>/host.js, built for one Grafana line), the plugins'
// dist folders the way Grafana serves public/plugins/<id>/ (ours, and any given with --plugin), and plays
// Grafana's data proxy (dataProxy.ts) in front of the Prometheus given at start.
//
// With a git repository it also shows its commits at /commits/<sha> (the demo's deploy links point there).
//
//   node -r ./scripts/register-swc.js e2e/host/server.ts --prometheus http://127.0.0.1:9090 --port 3000 \
//     [--line 12|13] [--plugin DIR]... [--datasource SETTINGS.json] [--proxy-timeout MS] [--git-repo DIR]
//     [--note TEXT]
import { execFile } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { DEFAULT_PROXY_TIMEOUT_MS, forward, type DatasourceSettings } from './dataProxy';

const ROOT = resolve(__dirname, '..', '..');
const OUR_PLUGINS = ['panel-plugin', 'datasource-plugin'].map((p) => join(ROOT, p, 'dist'));
/** The Grafana lines the host is built for: 12 (React 18, @grafana/* 12.3), 13 (React 19, @grafana/* 13.2). */
export const GRAFANA_LINES = ['12', '13'] as const;
export type GrafanaLine = (typeof GRAFANA_LINES)[number];
/** The line tests run under: TIMESCOPE_GRAFANA_LINE, else 13. */
export function defaultLine(): GrafanaLine {
  const v = process.env.TIMESCOPE_GRAFANA_LINE ?? '13';
  if (!(GRAFANA_LINES as readonly string[]).includes(v))
    throw new Error(`TIMESCOPE_GRAFANA_LINE must be 12 or 13, not ${v}`);
  return v as GrafanaLine;
}
export function hostDist(line: GrafanaLine): string {
  return join(__dirname, 'dist', line);
}
/** Grafana serves @grafana/ui's icons from public/build/img/icons; the package ships them. */
const ICONS_PREFIX = '/public/build/img/icons/';
const iconsDir = (line: GrafanaLine) =>
  join(
    line === '12' ? join(__dirname, 'grafana12') : ROOT,
    'node_modules',
    '@grafana',
    'ui',
    'dist',
    'public',
    'img',
    'icons',
  );

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
<script>window.grafanaBootData = { settings: { featureToggles: {} }, user: {}, navTree: [] };</script>
<script src="/host.js"></script></body></html>`;

export interface HostOptions {
  /** Prometheus base URL the data proxy forwards to (none: the proxy answers 502) */
  prometheusUrl?: string;
  /** the datasource instance's credentials and settings the data proxy applies (its url is prometheusUrl) */
  datasource?: Omit<DatasourceSettings, 'url'>;
  /** how long the data proxy waits for the upstream's response headers (Grafana's default: 30 s) */
  proxyTimeoutMs?: number;
  /** which host bundle the page loads (default: defaultLine()) */
  line?: GrafanaLine;
  /** built plugin folders (each with plugin.json and module.js) served beside ours */
  plugins?: string[];
  port?: number;
  host?: string;
  /** a git repository whose commits are shown at /commits/<sha> */
  gitRepo?: string;
  /** a line of text the page shows in its toolbar (the demo names its stand-ins there) */
  note?: string;
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
  dir: string;
}

/** The built plugins of these folders (a folder without plugin.json and module.js is skipped). */
function plugins(dirs: string[]): PluginInfo[] {
  const out: PluginInfo[] = [];
  for (const dir of dirs) {
    const file = join(dir, 'plugin.json');
    if (!existsSync(file) || !existsSync(join(dir, 'module.js'))) continue;
    const meta = JSON.parse(readFileSync(file, 'utf8')) as { id: string; type: string };
    out.push({ id: meta.id, type: meta.type, url: `/public/plugins/${meta.id}/module.js`, meta, dir });
  }
  return out;
}

/** What Grafana's /api/datasources/uid/<uid> tells the browser: no secrets, only which secure keys are set. */
function publicSettings(ds: Omit<DatasourceSettings, 'url'>): object {
  const secureJsonFields = Object.fromEntries(Object.keys(ds.secureJsonData ?? {}).map((k) => [k, true]));
  return { jsonData: ds.jsonData ?? {}, basicAuth: !!ds.basicAuth, basicAuthUser: ds.basicAuthUser, secureJsonFields };
}

function sendFile(res: ServerResponse, base: string, rel: string): void {
  const file = normalize(join(base, rel));
  // inside base, not merely beginning like it (base "dist" and a decoded "../dist2/x")
  if (!file.startsWith(`${base}${sep}`) || !existsSync(file) || !statSync(file).isFile()) {
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

export function startHost(opts: HostOptions = {}): Promise<RunningHost> {
  let prometheus = opts.prometheusUrl;
  const state = { proxied: 0 };
  const dirs = [...OUR_PLUGINS, ...(opts.plugins ?? []).map((d) => resolve(d))];
  const ds = opts.datasource ?? {};
  const line = opts.line ?? defaultLine();
  const dist = hostDist(line);
  const icons = iconsDir(line);
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://host');
    const p = u.pathname;
    const m = /^\/api\/datasources\/proxy\/uid\/[^/]+\/(.*)$/.exec(p);
    if (m) {
      state.proxied++;
      forward(
        req,
        res,
        { ...ds, url: prometheus },
        `${m[1]}${u.search}`,
        opts.proxyTimeoutMs ?? DEFAULT_PROXY_TIMEOUT_MS,
      );
    } else if (p === '/' || p === '/index.html') {
      res.writeHead(200, { 'Content-Type': TYPES['.html'] }).end(PAGE);
    } else if (p === '/api/host/plugins') {
      const list = plugins(dirs).map(({ dir: _dir, ...p }) => p);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(list));
    } else if (p === '/api/host/note') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ note: opts.note ?? '' }));
    } else if (p === '/api/host/datasource') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(publicSettings(ds)));
    } else if (p.startsWith(ICONS_PREFIX)) {
      sendFile(res, icons, decodeURIComponent(p.slice(ICONS_PREFIX.length)));
    } else if (p.startsWith('/public/plugins/')) {
      const [id, ...rest] = p.slice('/public/plugins/'.length).split('/');
      const dir = plugins(dirs).find((d) => d.id === id)?.dir;
      if (dir) sendFile(res, dir, decodeURIComponent(rest.join('/')));
      else res.writeHead(404).end();
    } else if (p.startsWith('/commits/')) {
      sendCommit(res, opts.gitRepo, p.slice('/commits/'.length));
    } else if (p === '/favicon.ico') {
      res.writeHead(204).end();
    } else {
      sendFile(res, dist, decodeURIComponent(p));
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

/** --datasource FILE: the datasource's settings as JSON (basicAuth, basicAuthUser, jsonData, secureJsonData). */
function datasourceFile(file: string | undefined): HostOptions['datasource'] {
  if (!file) return undefined;
  try {
    const ds = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (typeof ds !== 'object' || ds === null || Array.isArray(ds)) throw new Error('not a JSON object');
    return ds as HostOptions['datasource'];
  } catch (e) {
    console.error(`--datasource ${file}: ${(e as Error).message}`);
    return process.exit(2);
  }
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const arg = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const all = (name: string) => args.flatMap((a, i) => (a === `--${name}` && args[i + 1] ? [args[i + 1]] : []));
  const line = (arg('line') ?? defaultLine()) as GrafanaLine;
  if (!GRAFANA_LINES.includes(line)) {
    console.error(`--line must be one of ${GRAFANA_LINES.join(', ')}`);
    process.exit(2);
  }
  if (!existsSync(join(hostDist(line), 'host.js'))) {
    console.error(`e2e/host/dist/${line}/host.js is missing: run scripts/setup.sh and scripts/build.sh first`);
    process.exit(1);
  }
  const missing = all('plugin').filter((d) => !existsSync(join(d, 'plugin.json')) || !existsSync(join(d, 'module.js')));
  if (missing.length) {
    console.error(`not a built plugin folder (plugin.json and module.js): ${missing.join(', ')}`);
    process.exit(2);
  }
  const timeout = arg('proxy-timeout');
  if (timeout !== undefined && !(Number(timeout) > 0)) {
    console.error('--proxy-timeout must be a number of milliseconds');
    process.exit(2);
  }
  const options = { prometheusUrl: arg('prometheus'), port: Number(arg('port') ?? 3000), host: arg('host'), line };
  const rest = {
    gitRepo: arg('git-repo'),
    note: arg('note'),
    plugins: all('plugin'),
    proxyTimeoutMs: timeout ? Number(timeout) : undefined,
  };
  startHost({ ...options, ...rest, datasource: datasourceFile(arg('datasource')) }).then(
    (h) => {
      console.log(`plugin host on ${h.url}, Grafana ${line} line (data proxy -> ${arg('prometheus') ?? 'none'})`);
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
