// One pipeline for every webhook endpoint. Before the body: credentials from the headers (a bearer token is checked
// in full, an HMAC signature header for presence and form; 401/403, spending only the peer's failure budget), the
// budget of the credential and a slot (429), the content type (415), and only then `100 Continue` if the client
// waits for it. Then the body within its size and time bounds (413, 408), the HMAC over its bytes (403), JSON and
// fields (400 naming the field), and the journal append, flushed to disk -> 201 with the id, or 200 with the same id
// for a duplicate. The answer is sent only once the event is on disk.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SelfMetric } from '@timescope/common';
import type { Collector, Handler, Logger, MetricFamily } from '../../runtime/source';
import { InvalidEventError } from '../../journal/journal';
import type { DeployJournal } from '../../journal/types';
import type { Action } from './apiPayload';
import { parseJson } from './fields';
import { expectsContinue } from '../../runtime/http';
import { checkContentType, DEFAULT_BODY_TIMEOUT_MS, readBody, sendError, sendJson, WebhookError } from './httpIo';
import type { RateLimiter } from './rateLimit';

export interface Endpoint {
  /** label value: api, github, flux, argocd */
  name: string;
  path: string;
  /**
   * Before the body: throws WebhookError 401/403 when the headers carry no (or wrong) credentials. Returns the
   * credential that matched (its budget key) when the headers prove it (bearer), undefined when only the body can.
   */
  precheck(req: IncomingMessage): string | undefined;
  /** after the body, when `precheck` returned undefined: throws 401/403, returns the credential (HMAC signs the bytes) */
  authenticate?(req: IncomingMessage, body: Buffer): string;
  /** maps the JSON document to an event; throws WebhookError 400 */
  parse(req: IncomingMessage, doc: unknown, now: number): Action;
}

export interface WebhookDeps {
  journal: Pick<DeployJournal, 'append' | 'refuseExpired'>;
  limiter: RateLimiter;
  stats: WebhookStats;
  logger: Logger;
  now?: () => number;
  /** how long a sender has to deliver its body (408 after) */
  bodyTimeoutMs?: number;
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

const peerOf = (req: IncomingMessage): string => req.socket.remoteAddress ?? 'unknown';

/** Refusals before the body: counted and answered with the connection closed, the body never read. */
class Refusal {
  constructor(readonly err: WebhookError) {}
}

export function webhookHandler(endpoint: Endpoint, deps: WebhookDeps): Handler {
  const now = deps.now ?? Date.now;
  const limiter = deps.limiter;
  const bodyTimeoutMs = deps.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;

  /** Credentials from the headers; a failure spends the peer's failure budget only. */
  const precheck = (req: IncomingMessage, peer: string): string | undefined => {
    try {
      return endpoint.precheck(req);
    } catch (e) {
      if (!(e instanceof WebhookError)) throw e;
      if (limiter.peerBlocked(peer)) throw new Refusal(tooMany());
      limiter.failed(peer);
      throw new Refusal(e);
    }
  };

  /** A slot (and, for a known credential, its budget); returns the release, or throws a 429 refusal. */
  const admit = (peer: string, credential: string | undefined): (() => void) => {
    if (credential !== undefined) {
      if (!limiter.allowCredential(credential) || !limiter.acquire()) throw new Refusal(tooMany());
      return () => limiter.release();
    }
    // A body read before its sender is known: refused to a peer that keeps failing, and from a small pool.
    if (limiter.peerBlocked(peer) || !limiter.acquireUnverified(peer)) throw new Refusal(tooMany());
    return () => limiter.releaseUnverified(peer);
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const peer = peerOf(req);
    let release: (() => void) | undefined;
    let bodyRead = false;
    try {
      const known = precheck(req, peer);
      release = admit(peer, known);
      checkContentType(req);
      if (expectsContinue(req)) res.writeContinue();
      const body = await readBody(req, res, bodyTimeoutMs);
      bodyRead = true;
      if (known === undefined) {
        try {
          const credential = endpoint.authenticate ? endpoint.authenticate(req, body) : undefined;
          if (credential === undefined) throw new WebhookError(401, 'no credentials');
          if (!limiter.allowCredential(credential)) throw tooMany();
        } catch (e) {
          if (e instanceof WebhookError && (e.status === 401 || e.status === 403)) limiter.failed(peer);
          throw e;
        }
      }
      const action = endpoint.parse(req, parseJson(body), now());
      if (action.kind === 'ignore') {
        deps.stats.count(endpoint.name, 202);
        return sendJson(res, 202, { ignored: action.reason });
      }
      if (action.kind === 'duplicate') {
        deps.stats.count(endpoint.name, 200);
        return sendJson(res, 200, { id: action.id, duplicate: true });
      }
      deps.journal.refuseExpired(action.input); // 400: it would be dropped at once, never a 201
      const result = await deps.journal.append(action.input);
      action.onRecorded?.(result.id);
      const code = result.duplicate ? 200 : 201;
      deps.stats.count(endpoint.name, code);
      sendJson(res, code, { id: result.id, duplicate: result.duplicate });
    } catch (e) {
      const err = e instanceof Refusal ? e.err : asWebhookError(e, deps.logger, endpoint.name);
      deps.stats.count(endpoint.name, err.status);
      sendError(req, res, err, bodyRead);
    } finally {
      release?.();
    }
  };
}

const tooMany = (): WebhookError => new WebhookError(429, 'too many requests, retry later');

function asWebhookError(e: unknown, logger: Logger, endpoint: string): WebhookError {
  if (e instanceof WebhookError) return e;
  if (e instanceof InvalidEventError) return new WebhookError(400, e.message, e.field);
  logger.error('webhook: could not record the event', { endpoint, error: String(e) });
  return new WebhookError(503, 'could not record the event; retry later');
}
