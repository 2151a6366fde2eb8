// The webhooks component: POST /api/v1/deploys, /hooks/github, /hooks/flux and /hooks/argocd on the exporter's
// server, writing into the deploy journal. An endpoint whose credentials are not configured answers 403.
import type { IncomingMessage } from 'node:http';
import type { Component, ComponentModule, Context, FlagSpec } from '../../runtime/source';
import type { DeployJournal } from '../../journal/types';
import { parseApiEvent } from './apiPayload';
import { parseArgocd } from './argocd';
import { BearerTokens, HmacSecrets, loadSecrets } from './credentials';
import { parseFlux } from './flux';
import { githubAction, RecentDeliveries } from './github';
import { WebhookError } from './httpIo';
import { RateLimiter } from './rateLimit';
import { webhookHandler, WebhookStats, type Endpoint } from './webhookHandler';

export const webhookFlags: FlagSpec[] = [
  {
    name: 'webhooks.token',
    help: 'Bearer token(s), one per line, for POST /api/v1/deploys, /hooks/argocd and /hooks/flux without HMAC. Set it by environment variable: a command line is visible to every user.',
    type: 'string',
  },
  {
    name: 'webhooks.token-file',
    help: 'File of bearer tokens, one per line (adds to --webhooks.token).',
    type: 'string',
  },
  {
    name: 'webhooks.github-secret',
    help: 'GitHub webhook secret(s) checking X-Hub-Signature-256 on /hooks/github. Set it by environment variable.',
    type: 'string',
  },
  { name: 'webhooks.github-secret-file', help: 'File of GitHub webhook secrets, one per line.', type: 'string' },
  {
    name: 'webhooks.flux-secret',
    help: 'Flux generic-hmac provider key(s) checking X-Signature on /hooks/flux; unset, /hooks/flux takes a bearer token. Set it by environment variable.',
    type: 'string',
  },
  { name: 'webhooks.flux-secret-file', help: 'File of Flux HMAC keys, one per line.', type: 'string' },
  {
    name: 'webhooks.rate-limit',
    help: 'Webhook requests accepted per second per credential (bursts of twice that), and failed authentications per second per peer, before answering 429; 0: no limit.',
    type: 'int',
    default: '100',
  },
  {
    name: 'webhooks.read-timeout',
    help: 'Time a sender has to deliver a whole webhook body before it is answered 408 and cut off.',
    type: 'duration',
    default: '10s',
  },
];

function str(ctx: Context, name: string): string | undefined {
  return ctx.config.optionalString(name);
}

export interface WebhookCredentials {
  tokens: BearerTokens;
  github: HmacSecrets;
  flux: HmacSecrets;
}

export function credentialsFrom(ctx: Context): WebhookCredentials {
  return {
    tokens: new BearerTokens(
      loadSecrets(str(ctx, 'webhooks.token'), str(ctx, 'webhooks.token-file'), 'webhooks.token-file'),
    ),
    github: new HmacSecrets(
      loadSecrets(
        str(ctx, 'webhooks.github-secret'),
        str(ctx, 'webhooks.github-secret-file'),
        'webhooks.github-secret-file',
      ),
      'x-hub-signature-256',
      ['sha256'],
    ),
    flux: new HmacSecrets(
      loadSecrets(str(ctx, 'webhooks.flux-secret'), str(ctx, 'webhooks.flux-secret-file'), 'webhooks.flux-secret-file'),
      'x-signature',
      ['sha1', 'sha256', 'sha384', 'sha512'],
    ),
  };
}

function notConfigured(what: string): WebhookError {
  return new WebhookError(403, `this endpoint is disabled: no ${what} is configured on the exporter`);
}

function bearer(tokens: BearerTokens): (req: IncomingMessage) => string {
  return (req) => {
    if (!tokens.configured) throw notConfigured('token (--webhooks.token-file or TIMESCOPE_WEBHOOKS_TOKEN)');
    return tokens.check(req);
  };
}

const GITHUB_MISSING = 'GitHub secret (--webhooks.github-secret-file or TIMESCOPE_WEBHOOKS_GITHUB_SECRET)';

export function endpoints(c: WebhookCredentials): Endpoint[] {
  const deliveries = new RecentDeliveries();
  return [
    {
      name: 'api',
      path: '/api/v1/deploys',
      precheck: bearer(c.tokens),
      parse: (_req, doc, now) => parseApiEvent(doc, now),
    },
    {
      name: 'github',
      path: '/hooks/github',
      // the signature covers the body: the headers only show that one is there, in the right form
      precheck: (req) => {
        if (!c.github.configured) throw notConfigured(GITHUB_MISSING);
        c.github.precheck(req);
        return undefined;
      },
      authenticate: (req, body) => c.github.check(req, body),
      parse: (req, doc, now) =>
        githubAction(deliveries, header(req, 'x-github-event'), header(req, 'x-github-delivery'), doc, now),
    },
    {
      name: 'flux',
      path: '/hooks/flux',
      precheck: (req) => {
        if (!c.flux.configured) return bearer(c.tokens)(req);
        c.flux.precheck(req);
        return undefined;
      },
      authenticate: (req, body) => c.flux.check(req, body),
      parse: (_req, doc, now) => parseFlux(doc, now),
    },
    {
      name: 'argocd',
      path: '/hooks/argocd',
      precheck: bearer(c.tokens),
      parse: (_req, doc, now) => parseArgocd(doc, now),
    },
  ];
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export interface WebhooksOptions {
  journal: Pick<DeployJournal, 'append' | 'refuseExpired'>;
  credentials: WebhookCredentials;
  rateLimit: number;
  /** how long a sender has to deliver its body (default 10 s) */
  bodyTimeoutMs?: number;
  host: string;
  logger: Context['logger'];
}

export function createWebhooks(opts: WebhooksOptions): Component {
  const stats = new WebhookStats(opts.host);
  const deps = {
    journal: opts.journal,
    limiter: new RateLimiter({ rate: opts.rateLimit }),
    stats,
    logger: opts.logger,
    bodyTimeoutMs: opts.bodyTimeoutMs,
  };
  return {
    name: 'webhooks',
    collectors: [stats],
    routes: endpoints(opts.credentials).map((e) => ({
      method: 'POST' as const,
      path: e.path,
      handler: webhookHandler(e, deps),
      handlesContinue: true,
    })),
    start: async () => undefined,
    stop: async () => undefined,
  };
}

export const webhooksModule: ComponentModule = {
  flags: webhookFlags,
  source: {
    name: 'webhooks',
    help: 'Take deploy events on POST /api/v1/deploys and /hooks/{github,flux,argocd} (each answers 403 until its credentials are configured).',
    implied: true,
    passive: true,
  },
  create(ctx: Context): Component {
    const rate = ctx.config.int('webhooks.rate-limit');
    return createWebhooks({
      journal: ctx.journal,
      credentials: credentialsFrom(ctx),
      rateLimit: rate >= 0 ? rate : 100,
      bodyTimeoutMs: ctx.config.duration('webhooks.read-timeout') * 1000,
      host: ctx.hostname,
      logger: ctx.logger,
    });
  },
};
