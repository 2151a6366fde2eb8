// A stand-in for the Kubernetes API server (not a Kubernetes: it stores what it is given and runs no controllers),
// speaking its wire format over plain HTTP: lists carry metadata.resourceVersion, `?watch=true` streams newline-delimited ADDED/MODIFIED/DELETED/BOOKMARK events from a
// resourceVersion, an expired resourceVersion gets an ERROR event with a 410 Status, and tests can drop streams,
// forbid resources (403) or take the server down. Objects are whatever v1 JSON the caller feeds in. The exporter's
// tests and the multi-host test use it, and the demo serves its shop's pods, Deployments and Services with it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string; [k: string]: unknown };
  [k: string]: unknown;
}

/** The resources the stand-in serves: list path (cluster-wide) -> the kind of its items. */
export const standInResources: Readonly<Record<string, { kind: string; apiVersion: string }>> = {
  '/api/v1/pods': { kind: 'Pod', apiVersion: 'v1' },
  '/api/v1/services': { kind: 'Service', apiVersion: 'v1' },
  '/api/v1/nodes': { kind: 'Node', apiVersion: 'v1' },
  '/api/v1/namespaces': { kind: 'Namespace', apiVersion: 'v1' },
  '/apis/discovery.k8s.io/v1/endpointslices': { kind: 'EndpointSlice', apiVersion: 'discovery.k8s.io/v1' },
  '/apis/apps/v1/replicasets': { kind: 'ReplicaSet', apiVersion: 'apps/v1' },
  '/apis/apps/v1/deployments': { kind: 'Deployment', apiVersion: 'apps/v1' },
  '/apis/apps/v1/statefulsets': { kind: 'StatefulSet', apiVersion: 'apps/v1' },
  '/apis/apps/v1/daemonsets': { kind: 'DaemonSet', apiVersion: 'apps/v1' },
  '/apis/batch/v1/jobs': { kind: 'Job', apiVersion: 'batch/v1' },
  '/apis/batch/v1/cronjobs': { kind: 'CronJob', apiVersion: 'batch/v1' },
};

const pathByKind = new Map(Object.entries(standInResources).map(([p, r]) => [r.kind, p]));

interface Change {
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
}

interface Watcher {
  path: string;
  res: ServerResponse;
}

function key(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

function status(code: number, reason: string, message: string): object {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

export class KubeApiStandIn {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private rv = 1000;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly history = new Map<string, Change[]>();
  /** watches from a resourceVersion below this get 410 Gone */
  private compactedBelow = 0;
  private readonly watchers = new Set<Watcher>();
  private readonly forbidden = new Set<string>();
  private down = false;
  /** requests seen, e.g. `list /api/v1/pods`, `watch /api/v1/pods` */
  readonly requests: string[] = [];
  url = '';

  /** Listens on 127.0.0.1:`port` (0: a free port); returns the base URL. */
  async start(port = 0): Promise<string> {
    const server = createServer((req, res) => this.handle(req, res));
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    const addr = server.address();
    this.server = server;
    this.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Writes a kubeconfig pointing at this server (plain HTTP, no credentials) and returns its path. */
  writeKubeconfig(path: string): string {
    const yaml = [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: stand-in`,
      `  cluster: { server: "${this.url}", insecure-skip-tls-verify: true }`,
      'users:',
      '- name: stand-in',
      '  user: {}',
      'contexts:',
      '- name: stand-in',
      '  context: { cluster: stand-in, user: stand-in }',
      'current-context: stand-in',
      '',
    ].join('\n');
    writeFileSync(path, yaml);
    return path;
  }

  /** Adds or replaces an object (its kind picks the resource); watchers get ADDED or MODIFIED. */
  apply(obj: KubeObject): KubeObject {
    const path = this.pathOf(obj);
    const store = this.store(path);
    const type = store.has(key(obj)) ? 'MODIFIED' : 'ADDED';
    const stored: KubeObject = structuredClone(obj);
    stored.metadata.resourceVersion = String(++this.rv);
    stored.metadata.uid ??= `uid-${stored.metadata.namespace ?? ''}-${stored.metadata.name}`;
    store.set(key(stored), stored);
    this.record(path, { rv: this.rv, type, object: stored });
    return stored;
  }

  delete(kind: string, namespace: string | undefined, name: string): void {
    const path = pathByKind.get(kind) ?? '';
    const store = this.store(path);
    const k = `${namespace ?? ''}/${name}`;
    const old = store.get(k);
    if (!old) return;
    store.delete(k);
    const gone: KubeObject = {
      ...structuredClone(old),
      metadata: { ...old.metadata, resourceVersion: String(++this.rv) },
    };
    this.record(path, { rv: this.rv, type: 'DELETED', object: gone });
  }

  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.store(pathByKind.get(kind) ?? '').get(`${namespace ?? ''}/${name}`);
  }

  /** Sends a BOOKMARK with the current resourceVersion to every open watch. */
  bookmark(): void {
    for (const w of this.watchers) {
      const { kind, apiVersion } = standInResources[w.path];
      this.send(w, { type: 'BOOKMARK', object: { kind, apiVersion, metadata: { resourceVersion: String(this.rv) } } });
    }
  }

  /** Forgets the event history: open watches get an ERROR 410 event and are closed, so clients must relist. */
  expireHistory(): void {
    this.compactedBelow = this.rv + 1;
    this.history.clear();
    for (const w of [...this.watchers]) {
      this.send(w, { type: 'ERROR', object: status(410, 'Expired', 'too old resource version') });
      this.end(w);
    }
  }

  /** Cuts every open watch stream mid-flight (the TCP connection is destroyed). */
  dropWatches(): void {
    for (const w of [...this.watchers]) {
      this.watchers.delete(w);
      w.res.socket?.destroy();
    }
  }

  /** 403 Forbidden for a resource path (or `*`), as RBAC would answer; open watches on it are closed. */
  forbid(path: string, on = true): void {
    if (on) this.forbidden.add(path);
    else this.forbidden.delete(path);
    if (on) for (const w of [...this.watchers]) if (path === '*' || w.path === path) this.end(w);
  }

  /** While down every request's connection is destroyed without an answer. */
  setDown(down: boolean): void {
    this.down = down;
    if (down) {
      this.dropWatches();
      for (const s of this.sockets) s.destroy();
    }
  }

  watchCount(path: string): number {
    return [...this.watchers].filter((w) => w.path === path).length;
  }

  private pathOf(obj: KubeObject): string {
    const path = obj.kind ? pathByKind.get(obj.kind) : undefined;
    if (!path) throw new Error(`kube API stand-in: unknown kind ${String(obj.kind)}`);
    return path;
  }

  private store(path: string): Map<string, KubeObject> {
    let s = this.objects.get(path);
    if (!s) this.objects.set(path, (s = new Map()));
    return s;
  }

  private record(path: string, change: Change): void {
    let h = this.history.get(path);
    if (!h) this.history.set(path, (h = []));
    h.push(change);
    for (const w of this.watchers) if (w.path === path) this.send(w, { type: change.type, object: change.object });
  }

  private send(w: Watcher, event: object): void {
    if (!w.res.writableEnded) w.res.write(JSON.stringify(event) + '\n');
  }

  private end(w: Watcher): void {
    this.watchers.delete(w);
    if (!w.res.writableEnded) w.res.end();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (this.down) {
      req.socket.destroy();
      return;
    }
    const u = new URL(req.url ?? '/', 'http://x');
    const path = u.pathname;
    const watch = u.searchParams.get('watch') === 'true';
    this.requests.push(`${watch ? 'watch' : 'list'} ${path}`);
    const json = (code: number, body: object): void => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const resource = standInResources[path];
    if (req.method !== 'GET' || !resource) {
      json(404, status(404, 'NotFound', `the server could not find the requested resource ${path}`));
      return;
    }
    if (this.forbidden.has(path) || this.forbidden.has('*')) {
      const plural = path.split('/').pop();
      json(
        403,
        status(
          403,
          'Forbidden',
          `${plural} is forbidden: User "system:serviceaccount:x:timescope" cannot list ${plural}`,
        ),
      );
      return;
    }
    if (!watch) {
      const items = [...this.store(path).values()].map((o) => {
        // list items carry no kind/apiVersion, as the real server sends them
        const { kind: _k, apiVersion: _a, ...rest } = o;
        return rest;
      });
      json(200, {
        kind: `${resource.kind}List`,
        apiVersion: resource.apiVersion,
        metadata: { resourceVersion: String(this.rv) },
        items,
      });
      return;
    }
    this.startWatch(path, Number(u.searchParams.get('resourceVersion') ?? '0'), res);
  }

  private startWatch(path: string, from: number, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders(); // the real server answers a watch at once, before any event
    const w: Watcher = { path, res };
    if (from > 0 && from < this.compactedBelow) {
      this.send(w, { type: 'ERROR', object: status(410, 'Expired', `too old resource version: ${from}`) });
      res.end();
      return;
    }
    this.watchers.add(w);
    res.on('close', () => this.watchers.delete(w));
    for (const c of this.history.get(path) ?? []) {
      if (c.rv > from) this.send(w, { type: c.type, object: c.object });
    }
  }
}
