// One pipeline for every webhook endpoint: admission (429) -> size (413) -> body -> credentials (401/403) ->
// JSON and fields (400 naming the field) -> journal append, flushed to disk -> 201 with the id, or 200 with the
// same id for a duplicate. The answer is sent only once the event is on disk.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SelfMetric } from '@timescope/common';
import type { Collector, Handler, Logger, MetricFamily } from '../../runtime/source';
import { InvalidEventError } from '../../journal/journal';
import type { DeployJournal } from '../../journal/types';
import type { Action } from './apiPayload';
import { parseJson } from './fields';
import { readBody, sendError, sendJson, WebhookError } from './httpIo';
import type { RateLimiter } from './rateLimit';

export interface Endpoint {
  /** label value: api, github, flux, argocd */
  name: string;
  path: string;
  /** throws WebhookError 401/403; called with the raw body (HMAC signs the bytes) */
  authenticate(req: IncomingMessage, body: Buffer): void;
  /** maps the JSON document to an event; throws WebhookError 400 */
  parse(req: IncomingMessage, doc: unknown, now: number): Action;
}

export interface WebhookDeps {
  journal: Pick<DeployJournal, 'append'>;
  limiter: RateLimiter;
  stats: WebhookStats;
  logger: Logger;
  now?: () => number;
}

export class WebhookStats implements Collector {
  private readonly counts = new Map<string, { labels: Record<string, string>; value: number }>();

  constructor(private readonly host: string) {}

  count(endpoint: string, code: number): void {
    const key = `${endpoint} ${code}`;
    const c = this.counts.get(key);
    if (c) c.value++;
    else this.counts.set(key, { labels: { endpoint, code: String(code), host: this.host }, value: 1 });
  }

  get(endpoint: string, code: number): number {
    return this.counts.get(`${endpoint} ${code}`)?.value ?? 0;
  }

  collect(): MetricFamily[] {
    return [
      {
        name: SelfMetric.WebhookRequestsTotal,
        help: 'Webhook requests by endpoint (api, github, flux, argocd) and HTTP status code answered.',
        type: 'counter',
        samples: [...this.counts.values()].map((c) => ({ labels: c.labels, value: c.value })),
      },
    ];
  }
}

export function webhookHandler(endpoint: Endpoint, deps: WebhookDeps): Handler {
  const now = deps.now ?? Date.now;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!deps.limiter.tryAcquire()) {
      deps.stats.count(endpoint.name, 429);
      return sendError(req, res, new WebhookError(429, 'too many requests, retry later'), false);
    }
    let bodyRead = false;
    try {
      const body = await readBody(req);
      bodyRead = true;
      endpoint.authenticate(req, body);
      const action = endpoint.parse(req, parseJson(body), now());
      if (action.kind === 'ignore') {
        deps.stats.count(endpoint.name, 202);
        return sendJson(res, 202, { ignored: action.reason });
      }
      if (action.kind === 'duplicate') {
        deps.stats.count(endpoint.name, 200);
        return sendJson(res, 200, { id: action.id, duplicate: true });
      }
      const result = await deps.journal.append(action.input);
      action.onRecorded?.(result.id);
      const code = result.duplicate ? 200 : 201;
      deps.stats.count(endpoint.name, code);
      sendJson(res, code, { id: result.id, duplicate: result.duplicate });
    } catch (e) {
      const err = asWebhookError(e, deps.logger, endpoint.name);
      deps.stats.count(endpoint.name, err.status);
      sendError(req, res, err, bodyRead);
    } finally {
      deps.limiter.release();
    }
  };
}

function asWebhookError(e: unknown, logger: Logger, endpoint: string): WebhookError {
  if (e instanceof WebhookError) return e;
  if (e instanceof InvalidEventError) return new WebhookError(400, e.message, e.field);
  logger.error('webhook: could not record the event', { endpoint, error: String(e) });
  return new WebhookError(503, 'could not record the event; retry later');
}
