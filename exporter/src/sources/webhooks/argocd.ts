// POST /hooks/argocd: Argo CD notifications sent with the webhook template of docs/deploy-events.md. Go templates
// render missing fields as "" or "<no value>"; both count as absent.
import type { DeployEventInput, DeployStatus } from '../../journal/types';
import { firstLine, type Action } from './apiPayload';
import { bad, Fields, parseTimeValue, type Json } from './fields';

const PHASE: Record<string, DeployStatus> = {
  Running: 'started',
  Terminating: 'started',
  Succeeded: 'succeeded',
  Failed: 'failed',
  Error: 'failed',
};

export function parseArgocd(doc: unknown, now: number): Action {
  const f = new Fields(withoutNoValue(Fields.root(doc).value));
  const phase = f.optStr('phase') ?? 'Succeeded';
  const status = PHASE[phase];
  if (status === undefined)
    throw bad('phase', `unknown phase ${phase} (Running, Succeeded, Failed, Error, Terminating)`);
  const startedAt = f.has('startedAt') ? parseTimeValue(f.value.startedAt, 'startedAt') : now;
  const message = f.optStr('message');
  const input: DeployEventInput = {
    source: 'argocd',
    namespace: f.optStr('namespace') ?? 'default',
    workload: f.str('app'),
    kind: 'Application',
    revision: f.str('revision'),
    author: f.optStr('author') ?? '',
    subject: f.optStr('subject') ?? (firstLine(message ?? '') || `sync ${phase.toLowerCase()}`),
    url: f.optStr('url') ?? '',
    status,
    startedAt,
  };
  if (message !== undefined) input.message = message;
  if (status !== 'started') {
    const finishedAt = f.has('finishedAt') ? parseTimeValue(f.value.finishedAt, 'finishedAt') : undefined;
    if (finishedAt !== undefined) input.finishedAt = Math.max(finishedAt, startedAt);
  }
  return { kind: 'record', input };
}

function withoutNoValue(doc: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(doc)) if (v !== '<no value>') out[k] = v;
  return out;
}
