// GET /api/v1/deploys?from=&to=&namespace=&workload=&source=&limit= : the events in the journal, oldest first, for
// people and tools. Times in and out are RFC 3339 (out: with milliseconds, UTC); `from`/`to` also take Unix seconds.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Handler } from '../../runtime/source';
import type { Journal } from '../../journal/journal';
import { DEPLOY_SOURCES, type DeployEvent, type DeployFilter, type DeploySource } from '../../journal/types';
import { sendJson } from '../../runtime/http';

export const DEFAULT_LIST_LIMIT = 1000;
export const MAX_LIST_LIMIT = 10_000;

export interface DeployView extends Omit<
  DeployEvent,
  'startedAt' | 'finishedAt' | 'receivedAt' | 'statusAt' | 'annotation'
> {
  startedAt: string;
  statusAt?: string;
  finishedAt?: string;
  receivedAt: string;
  annotationId?: number;
}

export function toView(e: DeployEvent): DeployView {
  const { annotation, startedAt, finishedAt, receivedAt, statusAt, ...rest } = e;
  const v: DeployView = {
    ...rest,
    startedAt: new Date(startedAt).toISOString(),
    receivedAt: new Date(receivedAt).toISOString(),
  };
  if (finishedAt !== undefined) v.finishedAt = new Date(finishedAt).toISOString();
  if (statusAt !== undefined) v.statusAt = new Date(statusAt).toISOString();
  if (annotation) v.annotationId = annotation.id;
  return v;
}

export class QueryError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Parses RFC 3339 or Unix seconds (with fractions) into ms. */
export function parseTime(field: string, text: string): number {
  const t = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : Date.parse(text);
  if (!Number.isFinite(t)) throw new QueryError(field, `${field}: expected RFC 3339 or Unix seconds, got "${text}"`);
  return Math.round(t);
}

export function parseListQuery(url: string): DeployFilter {
  const q = new URL(url, 'http://localhost').searchParams;
  const filter: DeployFilter = { limit: DEFAULT_LIST_LIMIT };
  const from = q.get('from');
  const to = q.get('to');
  if (from) filter.from = parseTime('from', from);
  if (to) filter.to = parseTime('to', to);
  const namespace = q.get('namespace');
  const workload = q.get('workload');
  if (namespace) filter.namespace = namespace;
  if (workload) filter.workload = workload;
  const source = q.get('source');
  if (source) {
    if (!DEPLOY_SOURCES.includes(source as DeploySource)) {
      throw new QueryError('source', `source: one of ${DEPLOY_SOURCES.join(', ')}`);
    }
    filter.source = source as DeploySource;
  }
  const limit = q.get('limit');
  if (limit) {
    const n = Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > MAX_LIST_LIMIT) {
      throw new QueryError('limit', `limit: an integer from 1 to ${MAX_LIST_LIMIT}`);
    }
    filter.limit = n;
  }
  return filter;
}

export function listDeploysHandler(journal: Journal): Handler {
  return (req: IncomingMessage, res: ServerResponse) => {
    let filter: DeployFilter;
    try {
      filter = parseListQuery(req.url ?? '/');
    } catch (e) {
      if (e instanceof QueryError) return sendJson(res, 400, { error: e.message, field: e.field });
      throw e;
    }
    const events = journal.list(filter);
    sendJson(res, 200, { events: events.map(toView) });
  };
}
