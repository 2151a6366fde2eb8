// The Docker source: lists the running containers over the engine's unix socket and follows its events stream
// (start, die, destroy, rename) so the list stays current. The stream is opened before the list is read, and events
// arriving meanwhile are applied after it, so nothing between the two is lost. When the socket is unreachable or
// the stream drops, timescope_source_up{source="docker"} is 0, the log says why, the last known containers keep
// being served, and the source reconnects with backoff and lists again. It never throws out of its loop.
import type { Collector, Component, HealthReport, Logger, MetricFamily, ProbeErrorKind } from '../../runtime/source';
import { logDebug } from '../../logger';
import { labelText } from '../../runtime/labelText';
import { Backoff } from '../../runtime/backoff';
import {
  WATCHED_ACTIONS,
  fromAttributes,
  fromInspect,
  fromSummary,
  isObject,
  parseEvent,
  type ContainerEvent,
  type DockerContainer,
} from './containers';
import { dockerFamilies } from './dockerSeries';
import { EngineClient, EngineError, type EventStream } from './engineClient';
import { LineSplitter } from './lineSplitter';

export interface DockerSourceOptions {
  socketPath: string;
  hostname: string;
  logger: Logger;
  /** where the connection attempts are reported (the runtime publishes it) */
  health: HealthReport;
  /** first retry delay after an error, seconds; doubles up to `maxRetry` */
  retry?: number;
  maxRetry?: number;
  /** per JSON request, milliseconds */
  requestTimeoutMs?: number;
}

export const EVENTS_PATH = `/events?filters=${encodeURIComponent(
  JSON.stringify({ type: ['container'], event: WATCHED_ACTIONS }),
)}`;

/** Malformed lines logged per connection; the rest are only counted. */
const MALFORMED_LOGGED = 5;

function describe(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as NodeJS.ErrnoException).code;
    return code && !e.message.includes(code) ? `${code}: ${e.message}` : e.message;
  }
  return String(e);
}

function kindOf(e: unknown): ProbeErrorKind {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission';
  if (e instanceof EngineError && (e.status === 401 || e.status === 403)) return 'permission';
  return 'io';
}

export class DockerSource implements Component {
  readonly name = 'docker';
  readonly collectors: Collector[];
  private readonly health: HealthReport;
  private readonly client: EngineClient;
  private readonly backoff: Backoff;
  private readonly containers = new Map<string, DockerContainer>();
  private families: MetricFamily[] = [];
  private dirty = true;
  private stopped = false;
  private attempted = false;
  private loop: Promise<void> | undefined;
  private stream: EventStream | undefined;
  private wake: (() => void) | undefined;
  /** why the engine is unreachable now (undefined while connected), so an outage is logged once */
  private failing: string | undefined;
  private everConnected = false;
  /** bumped per connection: events of an older connection are ignored */
  private session = 0;
  private malformedInSession = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly opts: DockerSourceOptions) {
    this.health = opts.health;
    this.client = new EngineClient({ socketPath: opts.socketPath, timeoutMs: opts.requestTimeoutMs });
    this.backoff = new Backoff({ initial: opts.retry && opts.retry > 0 ? opts.retry : 1, max: opts.maxRetry ?? 30 });
    this.collectors = [{ collect: () => this.collect() }];
  }

  async start(): Promise<void> {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stream?.close();
    this.wake?.();
    await this.loop;
    await this.queue;
  }

  /** Ready once the first connection attempt finished, successfully or not: a missing engine must not block /readyz. */
  ready(): boolean {
    return this.attempted;
  }

  /** The containers known now (for tests and other sources). */
  list(): DockerContainer[] {
    return [...this.containers.values()];
  }

  private collect(): MetricFamily[] {
    if (this.dirty) {
      this.dirty = false;
      this.families = dockerFamilies(this.opts.hostname, this.containers.values());
    }
    return this.families;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const started = performance.now();
      let reason: string;
      try {
        await this.connect(started, () => this.backoff.reset());
        reason = 'the events stream closed';
      } catch (e) {
        reason = describe(e);
        if (!this.stopped) this.health.error(kindOf(e));
      }
      this.stream = undefined;
      if (this.stopped) break;
      this.health.cycle(false, (performance.now() - started) / 1000);
      this.attempted = true;
      const delay = this.backoff.next();
      this.reportDown(reason, delay);
      await this.sleep(delay);
    }
  }

  /** One connection: version, events stream, list; then follows the stream until it ends (always by throwing). */
  private async connect(started: number, onUp: () => void): Promise<void> {
    const session = ++this.session;
    this.malformedInSession = 0;
    const version = await this.client.getJson('/version');
    let pending: ContainerEvent[] | undefined = [];
    const splitter = new LineSplitter(
      (line) => {
        const event = this.parseLine(line);
        if (!event) return;
        if (pending) pending.push(event);
        else this.enqueue(session, event);
      },
      () => this.malformed('a line longer than the limit'),
    );
    const stream = await this.client.stream(EVENTS_PATH, (chunk) => splitter.push(chunk));
    this.stream = stream;
    if (this.stopped) {
      stream.close();
      return;
    }
    try {
      this.replaceAll(await this.client.getJson('/containers/json'));
    } catch (e) {
      stream.close();
      throw e;
    }
    for (const event of pending) this.enqueue(session, event);
    pending = undefined;
    this.health.cycle(true, (performance.now() - started) / 1000);
    this.attempted = true;
    onUp();
    this.reportUp(version);
    await stream.closed;
  }

  private replaceAll(list: unknown): void {
    if (!Array.isArray(list)) throw new EngineError('GET /containers/json: the answer is not a list');
    this.containers.clear();
    let bad = 0;
    for (const entry of list) {
      const c = fromSummary(entry);
      if (c) this.containers.set(c.id, c);
      else bad++;
    }
    if (bad > 0) {
      this.health.error('malformed', bad);
      this.opts.logger.warn('docker: skipped container list entries that are not containers', { count: bad });
    }
    this.dirty = true;
  }

  private parseLine(line: string): ContainerEvent | undefined {
    try {
      return parseEvent(line);
    } catch (e) {
      this.malformed(describe(e), line);
      return undefined;
    }
  }

  private malformed(reason: string, line?: string): void {
    this.health.error('malformed');
    this.malformedInSession++;
    if (this.malformedInSession > MALFORMED_LOGGED) return;
    const fields: Record<string, unknown> = { reason };
    if (line !== undefined) fields.line = labelText(line, 200);
    if (this.malformedInSession === MALFORMED_LOGGED) fields.note = 'further malformed lines are only counted';
    this.opts.logger.warn('docker: skipped a malformed events line', fields);
  }

  /** Events are applied one at a time, in order: a start may wait for an inspect. */
  private enqueue(session: number, event: ContainerEvent): void {
    this.queue = this.queue.then(async () => {
      if (session !== this.session || this.stopped) return;
      try {
        await this.apply(session, event);
      } catch (e) {
        this.opts.logger.warn('docker: could not apply an event', {
          action: event.action,
          id: event.id,
          err: describe(e),
        });
      }
    });
  }

  private async apply(session: number, event: ContainerEvent): Promise<void> {
    switch (event.action) {
      case 'start': {
        const c = fromAttributes(event.id, event.attributes) ?? (await this.inspect(event.id));
        if (c && session === this.session) this.set(c);
        return;
      }
      case 'die':
      case 'destroy':
        if (this.containers.delete(event.id)) this.dirty = true;
        return;
      case 'rename': {
        const known = this.containers.get(event.id);
        const renamed = fromAttributes(event.id, event.attributes);
        if (known && renamed) this.set({ ...known, name: renamed.name });
        return;
      }
    }
  }

  /** The container from GET /containers/{id}/json; undefined when it is gone or no longer running. */
  private async inspect(id: string): Promise<DockerContainer | undefined> {
    try {
      const c = fromInspect(await this.client.getJson(`/containers/${id}/json`));
      if (!c) logDebug(this.opts.logger, 'docker: container not running any more', { id });
      return c;
    } catch (e) {
      if (e instanceof EngineError && e.status === 404) return undefined;
      this.health.error(kindOf(e));
      this.opts.logger.warn('docker: inspecting a started container failed', { id, err: describe(e) });
      return undefined;
    }
  }

  private set(c: DockerContainer): void {
    this.containers.set(c.id, c);
    this.dirty = true;
  }

  private reportUp(version: unknown): void {
    const v = isObject(version) ? version : {};
    const fields = {
      socket: this.opts.socketPath,
      engine: labelText(typeof v.Version === 'string' ? v.Version : '', 64),
      api: labelText(typeof v.ApiVersion === 'string' ? v.ApiVersion : '', 16),
      containers: this.containers.size,
    };
    this.opts.logger.info(this.everConnected ? 'docker: reconnected and relisted' : 'docker: connected', fields);
    this.failing = undefined;
    this.everConnected = true;
  }

  private reportDown(reason: string, delay: number): void {
    const fields: Record<string, unknown> = { socket: this.opts.socketPath, reason, retry_in: `${delay}s` };
    if (reason.includes('EACCES')) fields.hint = "the exporter's user needs read and write access to the socket";
    // One warning per outage (and per change of reason); retries of the same failure only at debug level.
    if (this.failing !== reason)
      this.opts.logger.warn('docker: engine unreachable, serving the last known containers', fields);
    else logDebug(this.opts.logger, 'docker: still unreachable', fields);
    this.failing = reason;
  }

  private sleep(seconds: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, seconds * 1000);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }
}
