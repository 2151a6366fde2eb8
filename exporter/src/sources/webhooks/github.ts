// POST /hooks/github: GitHub `deployment` and `deployment_status` events. A deployment starts an event (id
// `github-<deployment id>`); its statuses move it on (success -> succeeded, failure/error -> failed). Namespace and
// workload come from the deployment's payload (`{"namespace": ..., "workload": ..., "kind": ...}`) when it has
// them, else from the environment and the repository name. Replays: a delivery id already recorded is answered as a
// duplicate, and every report carries its own time (`statusAt`), so an old status replayed after a newer one (a
// signature stays valid forever) never flips the event back; that check survives restarts (it is in the journal).
import type { DeployEventInput, DeployStatus } from '../../journal/types';
import { firstLine, type Action } from './apiPayload';
import { bad, Fields } from './fields';

const STATE: Record<string, DeployStatus | 'ignore'> = {
  pending: 'started',
  queued: 'started',
  in_progress: 'started',
  success: 'succeeded',
  failure: 'failed',
  error: 'failed',
  inactive: 'ignore',
};

export function parseGithub(eventHeader: string | undefined, doc: unknown, now: number): Action {
  if (!eventHeader) throw bad('X-GitHub-Event', 'header required');
  if (eventHeader === 'ping') return { kind: 'ignore', reason: 'ping' };
  if (eventHeader !== 'deployment' && eventHeader !== 'deployment_status') {
    return { kind: 'ignore', reason: `event ${eventHeader} is not a deploy` };
  }
  const f = Fields.root(doc);
  const d = f.obj('deployment');
  const repo = f.optObj('repository');
  const payload = deploymentPayload(d);
  const sha = d.str('sha');
  const creator = d.optObj('creator');
  const startedAt = d.optTime('created_at') ?? now;
  const input: DeployEventInput = {
    id: `github-${d.idStr('id')}`,
    source: 'github',
    namespace: payload.optStr('namespace') ?? d.optStr('environment') ?? 'default',
    workload: payload.optStr('workload') ?? repo?.optStr('name') ?? d.str('environment'),
    kind: payload.optStr('kind') ?? '',
    revision: sha,
    author: creator?.optStr('login') ?? '',
    subject:
      firstLine(d.optStr('description') ?? '') ||
      `${d.optStr('ref') ?? sha} to ${d.optStr('environment') ?? 'an environment'}`,
    url: repo?.optStr('html_url') ? `${repo.str('html_url')}/commit/${sha}` : '',
    status: 'started',
    startedAt,
    statusAt: startedAt,
  };
  if (eventHeader === 'deployment_status') {
    const s = f.obj('deployment_status');
    const state = STATE[s.str('state')];
    if (state === undefined) throw bad('deployment_status.state', `unknown state ${s.str('state')}`);
    if (state === 'ignore') return { kind: 'ignore', reason: 'inactive: superseded by a later deployment' };
    input.status = state;
    input.statusAt = s.optTime('created_at') ?? now;
    input.url = s.optStr('target_url') ?? s.optStr('log_url') ?? s.optStr('environment_url') ?? input.url;
    if (state !== 'started') input.finishedAt = Math.max(startedAt, s.optTime('created_at') ?? now);
    const description = s.optStr('description');
    if (description) input.message = description;
  }
  return { kind: 'record', input };
}

/** `deployment.payload` is an object or a JSON string (GitHub keeps what the creator sent). */
function deploymentPayload(d: Fields): Fields {
  const p = d.value.payload;
  if (typeof p === 'string' && p.trim().startsWith('{')) {
    try {
      return Fields.root(JSON.parse(p)).withPath(d.at('payload'));
    } catch {
      return new Fields({}, d.at('payload'));
    }
  }
  if (typeof p === 'object' && p !== null && !Array.isArray(p)) return d.obj('payload');
  return new Fields({}, d.at('payload'));
}

/** Delivery ids recently recorded (X-GitHub-Delivery), with the event each recorded; the oldest are forgotten. */
export class RecentDeliveries {
  private readonly ids = new Map<string, string>();

  constructor(private readonly max = 10_000) {}

  get(delivery: string): string | undefined {
    return this.ids.get(delivery);
  }

  add(delivery: string, eventId: string): void {
    this.ids.delete(delivery);
    this.ids.set(delivery, eventId);
    if (this.ids.size > this.max) this.ids.delete(this.ids.keys().next().value as string);
  }
}

/** GitHub's endpoint parse: a known delivery id is a duplicate; otherwise the event, remembered once recorded. */
export function githubAction(
  deliveries: RecentDeliveries,
  eventHeader: string | undefined,
  delivery: string | undefined,
  doc: unknown,
  now: number,
): Action {
  const seen = delivery ? deliveries.get(delivery) : undefined;
  if (seen !== undefined) return { kind: 'duplicate', id: seen };
  const action = parseGithub(eventHeader, doc, now);
  if (action.kind === 'record' && delivery) action.onRecorded = (id) => deliveries.add(delivery, id);
  return action;
}
