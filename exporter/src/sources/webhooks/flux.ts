// POST /hooks/flux: events of Flux's notification-controller (`generic` and `generic-hmac` providers). The deployed
// revision is in the event metadata under `<controller>.toolkit.fluxcd.io/revision` (`main@sha1:<sha>`, or the older
// `main/<sha>`); events without one (plain progress chatter) are acknowledged and ignored.
import type { DeployEventInput, DeployStatus } from '../../journal/types';
import { firstLine, type Action } from './apiPayload';
import { bad, Fields } from './fields';

/** Reasons Flux gives while a reconciliation is still under way. */
const IN_PROGRESS = new Set(['Progressing', 'ProgressingWithRetry', 'DependencyNotReady', 'ArtifactInStorage']);

export function parseFlux(doc: unknown, now: number): Action {
  const f = Fields.root(doc);
  const obj = f.obj('involvedObject');
  const metadata = f.optObj('metadata');
  const raw = metadata ? revisionOf(metadata) : undefined;
  if (raw === undefined) return { kind: 'ignore', reason: 'no revision in the event metadata' };
  const severity = f.optStr('severity') ?? 'info';
  if (severity !== 'info' && severity !== 'error') throw bad('severity', 'expected info or error');
  const reason = f.optStr('reason') ?? '';
  const status: DeployStatus = severity === 'error' ? 'failed' : IN_PROGRESS.has(reason) ? 'started' : 'succeeded';
  const time = f.optTime('timestamp') ?? now;
  const message = f.optStr('message') ?? '';
  const input: DeployEventInput = {
    source: 'flux',
    namespace: obj.str('namespace'),
    workload: obj.str('name'),
    kind: obj.optStr('kind') ?? '',
    revision: shortRevision(raw),
    author: f.optStr('reportingController') ?? 'flux',
    subject: firstLine(message) || reason,
    url: '',
    status,
    startedAt: time,
  };
  if (message.includes('\n') || raw !== input.revision) input.message = `${message}\n\nrevision: ${raw}`.trim();
  if (status !== 'started') input.finishedAt = time;
  return { kind: 'record', input };
}

function revisionOf(metadata: Fields): string | undefined {
  for (const [k, v] of Object.entries(metadata.value)) {
    if ((k === 'revision' || k.endsWith('/revision')) && typeof v === 'string' && v !== '') return v;
  }
  return undefined;
}

/** `main@sha1:abc` -> `abc`; `main/abc` -> `abc`; `latest@sha256:d1` -> `sha256:d1`; `6.5.1` stays. */
export function shortRevision(raw: string): string {
  const at = raw.lastIndexOf('@');
  if (at >= 0) {
    const digest = raw.slice(at + 1);
    return digest.startsWith('sha1:') ? digest.slice(5) : digest;
  }
  const slash = raw.lastIndexOf('/');
  if (slash >= 0 && /^[0-9a-f]{7,64}$/.test(raw.slice(slash + 1))) return raw.slice(slash + 1);
  return raw;
}
