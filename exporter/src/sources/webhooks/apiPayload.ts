// POST /api/v1/deploys: Timescope's own deploy event schema (docs/deploy-events.md).
import type { DeployEventInput, DeployStatus } from '../../journal/types';
import { bad, Fields } from './fields';

export type Action =
  | {
      kind: 'record';
      input: DeployEventInput;
      /** told the event's id once it is durable (e.g. to remember a delivery id) */
      onRecorded?: (id: string) => void;
    }
  | { kind: 'ignore'; reason: string }
  /** a delivery already recorded (a replay or a redelivery): answered 200 with its id, nothing written */
  | { kind: 'duplicate'; id: string };

const STATUSES: readonly DeployStatus[] = ['started', 'succeeded', 'failed'];
const ID_RE = /^[A-Za-z0-9._:@/-]{1,128}$/;

export function firstLine(s: string): string {
  const nl = s.indexOf('\n');
  return (nl < 0 ? s : s.slice(0, nl)).trim();
}

export function parseApiEvent(doc: unknown, now: number): Action {
  const f = Fields.root(doc);
  const id = f.optStr('id');
  if (id !== undefined && !ID_RE.test(id)) throw bad('id', 'up to 128 of A-Z a-z 0-9 . _ : @ / -');
  const status = (f.optStr('status') ?? 'succeeded') as DeployStatus;
  if (!STATUSES.includes(status)) throw bad('status', `one of ${STATUSES.join(', ')}`);
  const version = f.optStr('version');
  const image = f.optStr('image');
  const revision = f.optStr('revision') ?? version ?? image;
  if (revision === undefined) throw bad('revision', 'required (or give version or image)');
  const message = f.optStr('message');
  const finishedAt = f.optTime('finishedAt');
  // A report of the end alone (a rollout finishing) has no start to give: it is not after its end.
  const startedAt = f.optTime('startedAt') ?? (finishedAt !== undefined ? Math.min(now, finishedAt) : now);
  if (finishedAt !== undefined && finishedAt < startedAt) throw bad('finishedAt', 'before startedAt');
  const input: DeployEventInput = {
    source: 'api',
    namespace: f.str('namespace'),
    workload: f.str('workload'),
    kind: f.optStr('kind') ?? '',
    revision,
    author: f.optStr('author') ?? '',
    subject: f.optStr('subject') ?? firstLine(message ?? ''),
    url: f.optStr('url') ?? '',
    status,
    startedAt,
  };
  if (id !== undefined) input.id = id;
  if (message !== undefined) input.message = message;
  if (finishedAt !== undefined) input.finishedAt = finishedAt;
  const previousVersion = f.optStr('previousVersion');
  if (version !== undefined || previousVersion !== undefined) {
    input.version = {
      ...(previousVersion !== undefined && { from: previousVersion }),
      ...(version !== undefined && { to: version }),
    };
  }
  const previousImage = f.optStr('previousImage');
  if (image !== undefined || previousImage !== undefined) {
    input.images = [
      {
        container: f.optStr('container') ?? input.workload,
        ...(previousImage !== undefined && { from: previousImage }),
        ...(image !== undefined && { to: image }),
      },
    ];
  }
  const replicas = f.optInt('replicas');
  const previousReplicas = f.optInt('previousReplicas');
  if (replicas !== undefined || previousReplicas !== undefined) {
    input.replicas = {
      ...(previousReplicas !== undefined && { from: previousReplicas }),
      ...(replicas !== undefined && { to: replicas }),
    };
  }
  return { kind: 'record', input };
}
