// A small stand-in for the Docker engine, speaking the Engine API's JSON over a temporary unix socket: GET /_ping,
// /version, /containers/json (running containers unless all=1), /containers/{id}/json and the /events stream
// (newline-delimited JSON, as dockerd writes it). Tests add, stop, remove and rename containers (each emitting the
// events dockerd would), write raw lines into the events stream, drop the stream, or make the engine refuse
// connections. Paths with a version prefix (/v1.43/...) are served the same.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FAKE_ENGINE_VERSION = '24.0.7';
export const FAKE_API_VERSION = '1.43';

export interface FakeContainerSpec {
  /** 64 hex; random when omitted */
  id?: string;
  /** without the leading slash */
  name: string;
  image: string;
  labels?: Record<string, string>;
  /** running unless false */
  running?: boolean;
}

interface FakeContainer {
  id: string;
  name: string;
  image: string;
  imageId: string;
  labels: Record<string, string>;
  running: boolean;
  /** seconds since the epoch */
  created: number;
}

/** One entry of GET /containers/json, in the engine's shape (the fields a client may read). */
export interface ContainerSummaryJson {
  Id: string;
  Names: string[];
  Image: string;
  ImageID: string;
  Command: string;
  Created: number;
  Labels: Record<string, string>;
  State: string;
  Status: string;
}

/** One line of GET /events, in the engine's shape. */
export interface EngineEventJson {
  status?: string;
  id?: string;
  from?: string;
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope: string;
  time: number;
  timeNano: number;
}

interface EventFilter {
  types?: Set<string>;
  actions?: Set<string>;
}

/** The engine's `filters` query: `{"type":["container"],"event":["start"]}` (or the older `{"type":{"container":true}}`). */
function parseFilters(text: string | null): EventFilter {
  if (text === null || text === '') return {};
  const f = JSON.parse(text) as Record<string, unknown>;
  if (typeof f !== 'object' || f === null || Array.isArray(f)) throw new Error('filters must be an object');
  const values = (v: unknown): Set<string> | undefined => {
    if (v === undefined) return undefined;
    if (Array.isArray(v)) return new Set(v.map(String));
    if (typeof v === 'object' && v !== null) return new Set(Object.keys(v));
    throw new Error('bad filter value');
  };
  return { types: values(f.type), actions: values(f.event) };
}

export class FakeDockerEngine {
  readonly dir: string;
  readonly socketPath: string;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly containers = new Map<string, FakeContainer>();
  /** open events streams and the actions each asked for (undefined: every action) */
  private readonly streams = new Map<ServerResponse, EventFilter>();
  private refusing = false;
  private eventsError: { status: number; message: string } | undefined;
  /** requests served, by path without the version prefix and query (e.g. `/containers/json`) */
  readonly requests = new Map<string, number>();

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'timescope-docker-'));
    this.socketPath = join(this.dir, 'docker.sock');
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => this.handle(req, res));
    server.on('connection', (s: Socket) => {
      if (this.refusing) {
        s.destroy();
        return;
      }
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.socketPath, () => resolve());
    });
    this.server = server;
  }

  /** Closes every connection and the socket, and removes the temporary folder. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Adds a container (running by default) and emits create and start, as `docker run` does. */
  add(spec: FakeContainerSpec): string {
    const id = spec.id ?? randomBytes(32).toString('hex');
    const c: FakeContainer = {
      id,
      name: spec.name,
      image: spec.image,
      imageId: `sha256:${randomBytes(32).toString('hex')}`,
      labels: { ...(spec.labels ?? {}) },
      running: spec.running ?? true,
      created: Math.floor(Date.now() / 1000),
    };
    this.containers.set(id, c);
    this.emit(this.event(c, 'create'));
    if (c.running) this.emit(this.event(c, 'start'));
    return id;
  }

  /**
   * Starts a stopped container and emits start. Without attributes the event carries none (as very old engines
   * sent), so a client has to inspect the container to learn its name.
   */
  startContainer(id: string, withAttributes = true): void {
    const c = this.get(id);
    c.running = true;
    const event = this.event(c, 'start');
    if (!withAttributes) event.Actor.Attributes = {};
    this.emit(event);
  }

  /** Stops a running container: kill, die and stop, as `docker stop` does. */
  stopContainer(id: string): void {
    const c = this.get(id);
    c.running = false;
    this.emit(this.event(c, 'kill', { signal: '15' }));
    this.emit(this.event(c, 'die', { exitCode: '0' }));
    this.emit(this.event(c, 'stop'));
  }

  /** Removes a container (stopping it first when running) and emits destroy, as `docker rm -f` does. */
  remove(id: string): void {
    const c = this.get(id);
    if (c.running) {
      c.running = false;
      this.emit(this.event(c, 'kill', { signal: '9' }));
      this.emit(this.event(c, 'die', { exitCode: '137' }));
    }
    this.containers.delete(id);
    this.emit(this.event(c, 'destroy'));
  }

  rename(id: string, name: string): void {
    const c = this.get(id);
    const oldName = `/${c.name}`;
    c.name = name;
    this.emit(this.event(c, 'rename', { oldName }));
  }

  /** Changes the engine's state without any event (what a client sees after missing events). */
  removeSilently(id: string): void {
    this.containers.delete(id);
  }

  /** Writes an event to every open events stream whose filters it passes. */
  emit(event: EngineEventJson): void {
    const line = JSON.stringify(event) + '\n';
    for (const [res, f] of this.streams) {
      if (f.types && !f.types.has(event.Type)) continue;
      if (f.actions && !f.actions.has(event.Action)) continue;
      res.write(line);
    }
  }

  /** Writes raw text (e.g. a malformed line) to every open events stream. */
  emitRaw(text: string): void {
    for (const res of this.streams.keys()) res.write(text);
  }

  /** The event dockerd would send for this container and action. */
  event(c: FakeContainerSpec & { id: string }, action: string, extra: Record<string, string> = {}): EngineEventJson {
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    return {
      status: action,
      id: c.id,
      from: c.image,
      Type: 'container',
      Action: action,
      Actor: { ID: c.id, Attributes: { ...(c.labels ?? {}), image: c.image, name: c.name, ...extra } },
      scope: 'local',
      time: Number(nowNs / 1_000_000_000n),
      timeNano: Number(nowNs),
    };
  }

  /** Cuts every open events stream mid-flight (the connection is destroyed). */
  dropEventStreams(): void {
    for (const res of this.streams.keys()) res.socket?.destroy();
    this.streams.clear();
  }

  /** While refusing, every new connection is closed at once and open connections are cut. */
  setRefusing(refusing: boolean): void {
    this.refusing = refusing;
    if (refusing) {
      this.streams.clear();
      for (const s of this.sockets) s.destroy();
    }
  }

  /** While set, GET /events answers this status and `{"message": ...}` instead of a stream. */
  setEventsError(error: { status: number; message: string } | undefined): void {
    this.eventsError = error;
  }

  /** Number of open events streams. */
  eventStreams(): number {
    return this.streams.size;
  }

  count(path: string): number {
    return this.requests.get(path) ?? 0;
  }

  private get(id: string): FakeContainer {
    const c = this.containers.get(id);
    if (!c) throw new Error(`fake docker engine: no container ${id}`);
    return c;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://docker');
    const path = url.pathname.replace(/^\/v\d+\.\d+(?=\/)/, '');
    this.requests.set(path, (this.requests.get(path) ?? 0) + 1);
    res.setHeader('Api-Version', FAKE_API_VERSION);
    res.setHeader('Server', `Docker/${FAKE_ENGINE_VERSION} (linux)`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return this.json(res, 405, { message: 'method not allowed' });
    if (path === '/_ping') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('OK');
      return;
    }
    if (path === '/version') return this.json(res, 200, this.version());
    if (path === '/containers/json') {
      const all = ['1', 'true'].includes(url.searchParams.get('all') ?? '');
      return this.json(res, 200, this.list(all));
    }
    const inspect = /^\/containers\/([^/]+)\/json$/.exec(path);
    if (inspect) return this.inspect(res, decodeURIComponent(inspect[1]));
    if (path === '/events') return this.events(res, url.searchParams.get('filters'));
    return this.json(res, 404, { message: 'page not found' });
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  private version(): object {
    return {
      Platform: { Name: 'Docker Engine - Community' },
      Version: FAKE_ENGINE_VERSION,
      ApiVersion: FAKE_API_VERSION,
      MinAPIVersion: '1.12',
      GitCommit: '311b9ff',
      GoVersion: 'go1.20.10',
      Os: 'linux',
      Arch: 'amd64',
      KernelVersion: '6.1.0-13-amd64',
      BuildTime: '2023-10-26T09:08:02.000000000+00:00',
    };
  }

  private list(all: boolean): ContainerSummaryJson[] {
    return [...this.containers.values()]
      .filter((c) => all || c.running)
      .sort((a, b) => b.created - a.created)
      .map((c) => ({
        Id: c.id,
        Names: [`/${c.name}`],
        Image: c.image,
        ImageID: c.imageId,
        Command: '/docker-entrypoint.sh',
        Created: c.created,
        Ports: [],
        Labels: c.labels,
        State: c.running ? 'running' : 'exited',
        Status: c.running ? 'Up 2 minutes' : 'Exited (0) 5 seconds ago',
        HostConfig: { NetworkMode: 'bridge' },
        NetworkSettings: { Networks: {} },
        Mounts: [],
      }));
  }

  private inspect(res: ServerResponse, ref: string): void {
    const c =
      this.containers.get(ref) ??
      [...this.containers.values()].find((x) => x.name === ref || (ref.length >= 12 && x.id.startsWith(ref)));
    if (!c) return this.json(res, 404, { message: `No such container: ${ref}` });
    this.json(res, 200, {
      Id: c.id,
      Created: new Date(c.created * 1000).toISOString(),
      Path: '/docker-entrypoint.sh',
      Args: [],
      State: {
        Status: c.running ? 'running' : 'exited',
        Running: c.running,
        Paused: false,
        Restarting: false,
        OOMKilled: false,
        Dead: false,
        Pid: c.running ? 4242 : 0,
        ExitCode: 0,
        Error: '',
        StartedAt: new Date(c.created * 1000).toISOString(),
        FinishedAt: '0001-01-01T00:00:00Z',
      },
      Image: c.imageId,
      Name: `/${c.name}`,
      RestartCount: 0,
      Driver: 'overlay2',
      Config: { Hostname: c.id.slice(0, 12), Image: c.image, Labels: c.labels, Env: [], Cmd: [] },
    });
  }

  private events(res: ServerResponse, filters: string | null): void {
    if (this.eventsError) return this.json(res, this.eventsError.status, { message: this.eventsError.message });
    let filter: EventFilter;
    try {
      filter = parseFilters(filters);
    } catch {
      return this.json(res, 400, { message: `invalid filter '${filters ?? ''}'` });
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.flushHeaders();
    this.streams.set(res, filter);
    res.on('close', () => this.streams.delete(res));
  }
}
