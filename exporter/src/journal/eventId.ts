// Identity of deploy events: the dedup key (source + namespace + workload + revision) and the id derived from it
// when a client gives none, so that the same deploy reported twice (a retried webhook, a git backfill after a
// restart) is recognised as one.
import { createHash } from 'node:crypto';
import type { DeploySource } from './types';

export function dedupKey(source: DeploySource, namespace: string, workload: string, revision: string): string {
  return JSON.stringify([source, namespace, workload, revision]);
}

/** `<source>-<16 hex>`: short, safe in URLs and labels, stable across restarts. */
export function derivedId(source: DeploySource, namespace: string, workload: string, revision: string): string {
  const h = createHash('sha256')
    .update(dedupKey(source, namespace, workload, revision))
    .digest('hex');
  return `${source}-${h.slice(0, 16)}`;
}
