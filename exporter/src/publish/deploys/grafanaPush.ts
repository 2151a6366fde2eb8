// Optional push of deploy events to Grafana as annotations (POST /api/annotations, PATCH /api/annotations/:id).
// The journal listener only marks an event dirty, so ingestion never waits for Grafana. One worker sends the dirty
// events one at a time, retrying failures with capped exponential backoff. The annotation id and a fingerprint of
// what Grafana acknowledged are kept in the journal: a restart re-sends nothing already there, and a rollout that
// finishes later changes the fingerprint, which turns into a PATCH that adds the end time.
import { createHash } from 'node:crypto';
import { deployTags } from '@timescope/common';
import type { Logger } from '../../component';
import type { Journal } from '../../journal/journal';
import type { DeployEvent } from '../../journal/types';

export interface GrafanaPushOptions {
  /** Grafana's base URL, e.g. http://grafana:3000 */
  url: string;
  /** service account token, sent as a bearer token */
  token?: string;
  /** pin annotations to one dashboard; organisation-wide when unset */
  dashboardUid?: string;
  journal: Journal;
  logger: Logger;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  timeoutMs?: number;
}

export interface AnnotationPayload {
  time: number;
  timeEnd?: number;
  tags: string[];
  text: string;
  dashboardUID?: string;
}

export interface GrafanaPushStats {
  posted: number;
  patched: number;
  failures: number;
}

export class GrafanaPush {
  private readonly dirty = new Set<string>();
  private running: Promise<void> | undefined;
  private stopped = false;
  private unsubscribe: (() => void) | undefined;
  private backoffMs = 0;
  private wake: (() => void) | undefined;
  readonly stats: GrafanaPushStats = { posted: 0, patched: 0, failures: 0 };
  private readonly base: string;

  constructor(private readonly opts: GrafanaPushOptions) {
    this.base = opts.url.replace(/\/+$/, '');
  }

  /** events waiting to be sent */
  pending(): number {
    return this.dirty.size;
  }

  start(): void {
    this.unsubscribe = this.opts.journal.subscribe((e) => this.mark(e));
    for (const e of this.opts.journal.list()) this.mark(e);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.wake?.();
    await this.running;
  }

  /** Resolves once nothing is waiting (for tests and graceful stops). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private mark(e: DeployEvent): void {
    if (this.stopped || e.annotation?.fingerprint === fingerprint(this.payload(e))) return;
    this.dirty.add(e.id);
    this.running ??= this.work().finally(() => {
      this.running = undefined;
    });
  }

  private async work(): Promise<void> {
    while (!this.stopped && this.dirty.size > 0) {
      const id = this.dirty.values().next().value as string;
      const event = this.opts.journal.get(id);
      if (!event) {
        this.dirty.delete(id);
        continue;
      }
      try {
        await this.send(event);
        this.backoffMs = 0;
        // The event may have changed while it was being sent (a rollout finished): then it stays dirty.
        const now = this.opts.journal.get(id);
        if (!now || now.annotation?.fingerprint === fingerprint(this.payload(now))) this.dirty.delete(id);
      } catch (e) {
        this.stats.failures++;
        const min = this.opts.minBackoffMs ?? 1000;
        this.backoffMs = Math.min(this.backoffMs === 0 ? min : this.backoffMs * 2, this.opts.maxBackoffMs ?? 300_000);
        const delay = this.backoffMs * (0.75 + Math.random() * 0.5);
        this.opts.logger.warn('grafana: annotation push failed, will retry', {
          id,
          error: (e as Error).message,
          retryInMs: Math.round(delay),
        });
        await this.sleep(delay);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  private async send(event: DeployEvent): Promise<void> {
    const payload = this.payload(event);
    const fp = fingerprint(payload);
    if (event.annotation?.fingerprint === fp) return;
    let annotationId = event.annotation?.id;
    if (annotationId !== undefined) {
      const r = await this.request('PATCH', `/api/annotations/${annotationId}`, payload);
      if (r.status === 404)
        annotationId = undefined; // deleted in Grafana: create it again
      else if (!r.ok) throw new Error(`PATCH /api/annotations/${annotationId}: HTTP ${r.status} ${await r.text()}`);
      else this.stats.patched++;
    }
    if (annotationId === undefined) {
      const r = await this.request('POST', '/api/annotations', payload);
      if (!r.ok) throw new Error(`POST /api/annotations: HTTP ${r.status} ${(await r.text()).slice(0, 200)}`);
      const body = (await r.json()) as { id?: unknown };
      if (typeof body.id !== 'number') throw new Error('POST /api/annotations: no id in the answer');
      annotationId = body.id;
      this.stats.posted++;
    }
    await this.opts.journal.update(event.id, { annotation: { id: annotationId, fingerprint: fp } });
  }

  private request(method: string, path: string, body: unknown): Promise<Response> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
    if (this.opts.token) headers.Authorization = `Bearer ${this.opts.token}`;
    return fetch(this.base + path, {
      method,
      headers,
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
    });
  }

  payload(e: DeployEvent): AnnotationPayload {
    const p: AnnotationPayload = {
      time: e.startedAt,
      tags: ['timescope', ...deployTags({ namespace: e.namespace, workload: e.workload, source: e.source })],
      text: annotationText(e),
    };
    if (e.finishedAt !== undefined && e.status !== 'started') p.timeEnd = e.finishedAt;
    if (this.opts.dashboardUid) p.dashboardUID = this.opts.dashboardUid;
    return p;
  }
}

/** Plain text, HTML-escaped: Grafana renders annotation text as (sanitised) HTML, and ours comes from outside. */
export function annotationText(e: DeployEvent): string {
  const lines = [
    `${e.namespace}/${e.workload} ${e.status}: ${e.revision.slice(0, 12)}`,
    [e.author && `by ${e.author}`, e.subject].filter(Boolean).join(': '),
  ];
  if (e.version?.to) lines.push(`version ${e.version.from ?? '(new)'} -> ${e.version.to}`);
  if (e.url) lines.push(e.url);
  return escapeHtml(lines.filter(Boolean).join('\n'));
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function fingerprint(p: AnnotationPayload): string {
  return createHash('sha256').update(JSON.stringify(p)).digest('hex').slice(0, 16);
}
