// The deploy journal: events in memory, every change appended to the journal file and flushed before the caller is
// answered, replayed on start, events older than the retention window dropped and compacted away.
import type { Logger } from '../logger';
import { dedupKey, derivedId } from './eventId';
import { JournalFile } from './journalFile';
import type {
  AppendResult,
  DeployEvent,
  DeployEventInput,
  DeployEventPatch,
  DeployFilter,
  DeployJournal,
  DeploySource,
  JournalChange,
  JournalListener,
} from './types';
import { DEPLOY_SOURCES, DEPLOY_STATUSES } from './types';

export interface JournalOptions {
  /** journal file; undefined keeps events in memory only (lost on restart) */
  file?: string;
  /** events whose start (and end) is older than this are dropped; ms */
  retentionMs: number;
  logger: Logger;
  /** clock, for tests */
  now?: () => number;
}

export interface JournalStats {
  /** records replayed on the last open */
  replayed: number;
  /** bytes of a torn last line cut off on open */
  tornBytes: number;
  /** lines skipped on open: not UTF-8, not JSON, or not a valid event (each logged with its offset) */
  badLines: number;
  /** compactions done */
  compactions: number;
  /** appends or updates that failed to reach disk */
  writeErrors: number;
}

/** One line of the journal file: the full event after the change (the last line for an id wins on replay). */
interface PutRecord {
  t: 'put';
  e: DeployEvent;
}

const LIMITS = { id: 128, short: 256, subject: 1024, message: 16384, url: 2048 };

export class Journal implements DeployJournal {
  private readonly events = new Map<string, DeployEvent>();
  /** dedup key -> ids with that key, first recorded first (several only when clients gave explicit ids) */
  private readonly byKey = new Map<string, string[]>();
  /** settles when the latest write of this id is on disk or failed; duplicates wait for it before answering */
  private readonly durable = new Map<string, Promise<void>>();
  /** ids whose writes are running, with the version last known on disk (undefined: none) */
  private readonly inflight = new Map<string, { durable: DeployEvent | undefined; writes: number }>();
  private readonly listeners = new Set<JournalListener>();
  private file: JournalFile | undefined;
  private opened: Promise<void> | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;
  private expiredSinceCompaction = 0;
  readonly stats: JournalStats = { replayed: 0, tornBytes: 0, badLines: 0, compactions: 0, writeErrors: 0 };
  private readonly now: () => number;

  constructor(private readonly opts: JournalOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** how long events are kept (ms) */
  get retentionMs(): number {
    return this.opts.retentionMs;
  }

  refuseExpired(input: Pick<DeployEventInput, 'startedAt' | 'finishedAt'>): void {
    refuseExpired(input, this.opts.retentionMs, this.now());
  }

  /** Replays the file (once; later calls return the same promise). Appends wait for it on their own. */
  open(): Promise<void> {
    this.opened ??= this.replay();
    return this.opened;
  }

  private async replay(): Promise<void> {
    const path = this.opts.file;
    if (path) {
      const opened = await JournalFile.open(path);
      this.file = opened.file;
      this.stats.tornBytes = opened.tornBytes;
      this.stats.badLines = opened.badLines;
      if (opened.tornBytes > 0) {
        this.opts.logger.warn('deploy journal: cut off a torn last line (a crash during a write)', {
          path,
          offset: opened.file.size(),
          bytes: opened.tornBytes,
        });
      }
      for (const s of opened.skipped) {
        this.opts.logger.warn('deploy journal: skipped an unreadable line', {
          path,
          offset: s.offset,
          reason: s.reason,
        });
      }
      for (const [i, r] of opened.records.entries()) {
        const e = asPutRecord(r);
        if (!e) {
          this.stats.badLines++;
          this.opts.logger.warn('deploy journal: skipped an unreadable line', {
            path,
            offset: opened.offsets[i],
            reason: 'not a valid event record',
          });
          continue;
        }
        this.put(e);
        this.stats.replayed++;
      }
    }
    const dropped = this.dropExpired();
    if (this.file && (dropped > 0 || this.file.lines > this.events.size)) await this.compact();
    const every = Math.min(Math.max(this.opts.retentionMs / 10, 1000), 3_600_000);
    this.pruneTimer = setInterval(() => void this.prune(), every);
    this.pruneTimer.unref();
    this.opts.logger.info('deploy journal ready', { path: path ?? '(memory)', events: this.events.size });
  }

  /** batches written to the file and flushed, one synchronous write each (a group commit: many events per batch) */
  flushes(): number {
    return this.file?.flushes ?? 0;
  }

  async close(): Promise<void> {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    if (this.opened) await this.opened.catch(() => undefined);
    await this.file?.close();
  }

  async append(input: DeployEventInput): Promise<AppendResult> {
    await this.open();
    const fresh = normalizeInput(input, this.now());
    const existingId = this.existingIdFor(fresh, input.id !== undefined && input.id !== '');
    if (existingId !== undefined) {
      const existing = this.events.get(existingId) as DeployEvent;
      const patch = progressPatch(existing, fresh);
      if (patch) {
        const event = await this.change(existingId, patch);
        return { id: existingId, duplicate: true, event: event ?? existing };
      }
      await this.durable.get(existingId);
      return { id: existingId, duplicate: true, event: this.events.get(existingId) ?? existing };
    }
    await this.write(fresh, 'added');
    return { id: fresh.id, duplicate: false, event: fresh };
  }

  /**
   * The stored event this report is a duplicate of: the same id; or, for a report without an id only, the same
   * source + namespace + workload + revision. Two different explicit ids are two events (docs/deploy-events.md).
   */
  private existingIdFor(fresh: DeployEvent, explicitId: boolean): string | undefined {
    if (this.events.has(fresh.id)) return fresh.id;
    if (explicitId) return undefined;
    return this.byKey.get(dedupKey(fresh.source, fresh.namespace, fresh.workload, fresh.revision))?.[0];
  }

  async update(id: string, patch: DeployEventPatch): Promise<DeployEvent | undefined> {
    await this.open();
    return this.change(id, patch);
  }

  private async change(id: string, patch: DeployEventPatch): Promise<DeployEvent | undefined> {
    const old = this.events.get(id);
    if (!old) return undefined;
    const next = normalizeEvent({ ...old, ...stripUndefined(patch) });
    await this.write(next, 'updated');
    return next;
  }

  /**
   * Shows the change in memory at once (so a concurrent duplicate finds it and waits for it), writes it, and undoes
   * it if the write fails: a failed write leaves no trace a retry could take for success.
   */
  private async write(event: DeployEvent, change: JournalChange): Promise<void> {
    const flight = this.inflight.get(event.id) ?? { durable: this.events.get(event.id), writes: 0 };
    flight.writes++;
    this.inflight.set(event.id, flight);
    this.put(event);
    const settled = (error?: Error): void => {
      flight.writes--;
      if (!error) flight.durable = event;
      // A later write of this id still running carries the whole event and decides on its own.
      else if (flight.writes === 0) this.restore(event.id, flight.durable);
      if (flight.writes === 0 && this.inflight.get(event.id) === flight) this.inflight.delete(event.id);
    };
    const done = this.file ? this.file.append({ t: 'put', e: event } satisfies PutRecord, settled) : Promise.resolve();
    if (!this.file) settled();
    done.catch(() => undefined); // awaited below and by duplicates
    this.durable.set(event.id, done);
    try {
      await done;
    } catch (e) {
      this.stats.writeErrors++;
      this.opts.logger.error('deploy journal: write failed', { id: event.id, error: String(e) });
      throw e;
    }
    for (const l of this.listeners) {
      try {
        l(event, change);
      } catch (e) {
        this.opts.logger.error('deploy journal: listener failed', { error: String(e) });
      }
    }
  }

  /** Puts back the last durable version of an event after a failed write (none: the event is forgotten). */
  private restore(id: string, durable: DeployEvent | undefined): void {
    this.durable.delete(id);
    const current = this.events.get(id);
    if (durable) {
      this.put(durable);
      return;
    }
    this.events.delete(id);
    if (current) this.forgetKey(current);
  }

  /** Drops the event from its key's ids. */
  private forgetKey(e: DeployEvent): void {
    const key = dedupKey(e.source, e.namespace, e.workload, e.revision);
    const ids = this.byKey.get(key)?.filter((id) => id !== e.id);
    if (ids && ids.length > 0) this.byKey.set(key, ids);
    else this.byKey.delete(key);
  }

  /** What is on disk: the durable version of an event whose write is still running. */
  private durableSnapshot(): PutRecord[] {
    const out: PutRecord[] = [];
    for (const e of this.events.values()) {
      const flight = this.inflight.get(e.id);
      const durable = flight ? flight.durable : e;
      if (durable) out.push({ t: 'put', e: durable });
    }
    return out;
  }

  private put(e: DeployEvent): void {
    this.events.set(e.id, e);
    const key = dedupKey(e.source, e.namespace, e.workload, e.revision);
    const ids = this.byKey.get(key);
    if (!ids) this.byKey.set(key, [e.id]);
    else if (!ids.includes(e.id)) ids.push(e.id);
  }

  get(id: string): DeployEvent | undefined {
    return this.events.get(id);
  }

  findByKey(source: DeploySource, namespace: string, workload: string, revision: string): DeployEvent | undefined {
    const id = this.byKey.get(dedupKey(source, namespace, workload, revision))?.[0];
    return id === undefined ? undefined : this.events.get(id);
  }

  list(filter: DeployFilter = {}): DeployEvent[] {
    const horizon = this.now() - this.opts.retentionMs;
    const out: DeployEvent[] = [];
    for (const e of this.events.values()) {
      if (lastTime(e) < horizon) continue;
      if (filter.from !== undefined && e.startedAt < filter.from) continue;
      if (filter.to !== undefined && e.startedAt > filter.to) continue;
      if (filter.namespace !== undefined && e.namespace !== filter.namespace) continue;
      if (filter.workload !== undefined && e.workload !== filter.workload) continue;
      if (filter.source !== undefined && e.source !== filter.source) continue;
      out.push(e);
    }
    out.sort((a, b) => a.startedAt - b.startedAt); // stable: ties keep the order they were recorded in
    return filter.limit !== undefined && out.length > filter.limit ? out.slice(out.length - filter.limit) : out;
  }

  subscribe(listener: JournalListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  size(): number {
    this.dropExpired(); // from memory only; the file is compacted by the next prune
    return this.events.size;
  }

  /** Drops expired events and compacts when the file holds many superseded or expired records. */
  async prune(): Promise<void> {
    try {
      this.dropExpired();
      const file = this.file;
      if (file && (this.expiredSinceCompaction > 0 || file.lines > 2 * this.events.size + 1000)) await this.compact();
    } catch (e) {
      this.opts.logger.error('deploy journal: compaction failed', { error: String(e) });
    }
  }

  private dropExpired(): number {
    const horizon = this.now() - this.opts.retentionMs;
    let n = 0;
    for (const e of this.events.values()) {
      if (lastTime(e) >= horizon) continue;
      this.events.delete(e.id);
      this.durable.delete(e.id);
      this.forgetKey(e);
      n++;
    }
    this.expiredSinceCompaction += n;
    return n;
  }

  private async compact(): Promise<void> {
    const file = this.file;
    if (!file) return;
    this.expiredSinceCompaction = 0;
    await file.rewrite(() => this.durableSnapshot());
    this.stats.compactions++;
  }
}

function lastTime(e: DeployEvent): number {
  return Math.max(e.startedAt, e.finishedAt ?? 0);
}

/**
 * What a duplicate report changes on the stored event: a rollout moving on (started -> succeeded/failed). A report
 * carrying its own status time moves it only when not older than the status held (replay protection); between two
 * such reports a later one may also turn failed into succeeded (a re-run) or the reverse.
 */
function progressPatch(existing: DeployEvent, fresh: DeployEvent): DeployEventPatch | undefined {
  if (fresh.statusAt !== undefined && existing.statusAt !== undefined) {
    if (fresh.statusAt < existing.statusAt) return undefined;
    if (fresh.status !== existing.status && fresh.status !== 'started') {
      const end = fresh.finishedAt ?? fresh.receivedAt;
      return { status: fresh.status, finishedAt: Math.max(end, existing.startedAt), statusAt: fresh.statusAt };
    }
  }
  if (fresh.status === existing.status || fresh.status === 'started') {
    if (existing.finishedAt === undefined && fresh.finishedAt !== undefined && fresh.status === existing.status) {
      return { finishedAt: fresh.finishedAt };
    }
    return undefined;
  }
  // A finish reported without its time ended when it was reported; never before the stored start (a finish time
  // in whole seconds can fall before a start taken to the millisecond).
  const end = fresh.finishedAt ?? existing.finishedAt ?? fresh.receivedAt;
  const patch: DeployEventPatch = { status: fresh.status, finishedAt: Math.max(end, existing.startedAt) };
  if (fresh.statusAt !== undefined) patch.statusAt = fresh.statusAt;
  return patch;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export class InvalidEventError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** An event that ended before the retention window: it would be dropped at once, so it is refused. */
export class ExpiredEventError extends InvalidEventError {
  constructor(retentionMs: number) {
    super(
      'startedAt',
      `older than the retention window (--events.retention, ${+(retentionMs / 86_400_000).toFixed(3)} days): ` +
        'it would be dropped at once, so it is not recorded',
    );
  }
}

/**
 * Refuses a report that ended before the retention window: it would be dropped at once, so a sender told 201 would
 * believe it recorded. Applied where events come from outside (webhooks, git backfill), not to a rollout the
 * exporter watches happen now (a rollback re-uses an old ReplicaSet whose creation time may be months old).
 */
export function refuseExpired(
  input: Pick<DeployEventInput, 'startedAt' | 'finishedAt'>,
  retentionMs: number,
  now: number,
): void {
  if (Math.max(input.startedAt, input.finishedAt ?? 0) < now - retentionMs) throw new ExpiredEventError(retentionMs);
}

function normalizeInput(input: DeployEventInput, now: number): DeployEvent {
  const id =
    input.id === undefined || input.id === ''
      ? derivedId(input.source, input.namespace, input.workload, input.revision)
      : input.id;
  return normalizeEvent({ ...input, id, receivedAt: now });
}

/** Checks the fields every event must have and cuts strings to bounded sizes. */
export function normalizeEvent(e: DeployEvent): DeployEvent {
  const str = (field: keyof DeployEvent, max: number, required: boolean): string => {
    const v = e[field];
    if (v === undefined && !required) return '';
    if (typeof v !== 'string') throw new InvalidEventError(field, 'must be a string');
    if (required && v === '') throw new InvalidEventError(field, 'must not be empty');
    return v.length > max ? v.slice(0, max) : v;
  };
  if (!DEPLOY_SOURCES.includes(e.source)) throw new InvalidEventError('source', `unknown source ${String(e.source)}`);
  if (!DEPLOY_STATUSES.includes(e.status)) throw new InvalidEventError('status', `unknown status ${String(e.status)}`);
  const time = (field: 'startedAt' | 'finishedAt' | 'receivedAt' | 'statusAt'): number | undefined => {
    const v = e[field];
    if (v === undefined && (field === 'finishedAt' || field === 'statusAt')) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidEventError(field, 'must be a time in ms');
    return Math.round(v);
  };
  const out: DeployEvent = {
    id: str('id', LIMITS.id, true),
    source: e.source,
    namespace: str('namespace', LIMITS.short, true),
    workload: str('workload', LIMITS.short, true),
    kind: str('kind', LIMITS.short, false),
    revision: str('revision', LIMITS.short, true),
    author: str('author', LIMITS.short, false),
    subject: str('subject', LIMITS.subject, false),
    url: str('url', LIMITS.url, false),
    status: e.status,
    startedAt: time('startedAt') as number,
    receivedAt: time('receivedAt') as number,
  };
  const finishedAt = time('finishedAt');
  if (finishedAt !== undefined) out.finishedAt = finishedAt;
  const statusAt = time('statusAt');
  if (statusAt !== undefined) out.statusAt = statusAt;
  if (e.message !== undefined && e.message !== '') out.message = str('message', LIMITS.message, false);
  if (e.version !== undefined) out.version = e.version;
  if (e.images !== undefined) out.images = e.images;
  if (e.replicas !== undefined) out.replicas = e.replicas;
  if (e.annotation !== undefined) out.annotation = e.annotation;
  return out;
}

function asPutRecord(r: unknown): DeployEvent | undefined {
  if (typeof r !== 'object' || r === null || (r as { t?: unknown }).t !== 'put') return undefined;
  try {
    return normalizeEvent((r as PutRecord).e);
  } catch {
    return undefined;
  }
}
