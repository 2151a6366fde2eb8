// Identity of deploy events: the dedup key (source + namespace + workload + revision) and the id derived from it
// when a client gives none, so that the same deploy reported twice (a retried webhook, a git backfill after a
// restart) is recognised as one.
import * as crypto from 'node:crypto';
import type { DeploySource } from './types';

export function dedupKey(source: DeploySource, namespace: string, workload: string, revision: string): string {
  return JSON.stringify([source, namespace, workload, revision]);
}

/** One-shot SHA-256 in hex: crypto.hash (Node 20.12+) skips the Hash object createHash builds for every event. */
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');

/** `<source>-<16 hex>`: short, safe in URLs and labels, stable across restarts. */
export function derivedId(source: DeploySource, namespace: string, workload: string, revision: string): string {
  return `${source}-${sha256Hex(dedupKey(source, namespace, workload, revision)).slice(0, 16)}`;
}
