// Which workloads a commit changed: the workloads declared by the changed files before and after the commit,
// compared by their whole manifest. A workload that moved to another file unchanged is no change.
import type { Change, ImageChange } from '../../journal/types';
import { workloadKey, type WorkloadManifest } from './manifests';

export interface WorkloadChange {
  namespace: string;
  kind: string;
  name: string;
  /** every container's image before -> after (absent side: container added or removed) */
  images: ImageChange[];
  replicas?: Change<number>;
  /** the main container's image tag before -> after */
  version?: Change<string>;
  /** the workload is gone after the commit */
  removed: boolean;
}

export function diffWorkloads(before: WorkloadManifest[], after: WorkloadManifest[]): WorkloadChange[] {
  const old = new Map(before.map((w) => [workloadKey(w), w]));
  const now = new Map(after.map((w) => [workloadKey(w), w]));
  const changes: WorkloadChange[] = [];
  for (const [key, w] of now) {
    const prev = old.get(key);
    if (prev && prev.fingerprint === w.fingerprint) continue;
    changes.push(change(prev, w));
  }
  for (const [key, prev] of old) {
    if (!now.has(key)) changes.push(change(prev, undefined));
  }
  return changes;
}

function change(prev: WorkloadManifest | undefined, next: WorkloadManifest | undefined): WorkloadChange {
  const w = (next ?? prev) as WorkloadManifest;
  const containers = [...new Set([...Object.keys(prev?.images ?? {}), ...Object.keys(next?.images ?? {})])];
  const images = containers.map((container) => {
    const c: ImageChange = { container };
    const from = prev?.images[container];
    const to = next?.images[container];
    if (from !== undefined) c.from = from;
    if (to !== undefined) c.to = to;
    return c;
  });
  const out: WorkloadChange = { namespace: w.namespace, kind: w.kind, name: w.name, images, removed: !next };
  const replicas = pair(
    prev && (prev.replicas ?? defaultReplicas(prev)),
    next ? (next.replicas ?? defaultReplicas(next)) : 0,
  );
  if (replicas) out.replicas = replicas;
  const version = pair(tagOf(prev), tagOf(next));
  if (version) out.version = version;
  return out;
}

/** Deployments and StatefulSets without spec.replicas run one. */
function defaultReplicas(w: WorkloadManifest): number | undefined {
  return ['Deployment', 'StatefulSet', 'ReplicaSet'].includes(w.kind) ? 1 : undefined;
}

function pair<T>(from: T | undefined, to: T | undefined): Change<T> | undefined {
  if (from === undefined && to === undefined) return undefined;
  const c: Change<T> = {};
  if (from !== undefined) c.from = from;
  if (to !== undefined) c.to = to;
  return c;
}

/** The tag (or digest) of the main container's image: `shop/carts:1.4.2` -> `1.4.2`. */
export function tagOf(w: WorkloadManifest | undefined): string | undefined {
  const image = w?.primary !== undefined ? w.images[w.primary] : undefined;
  if (image === undefined) return undefined;
  const at = image.indexOf('@');
  if (at >= 0) return image.slice(at + 1);
  const colon = image.lastIndexOf(':');
  return colon > image.lastIndexOf('/') ? image.slice(colon + 1) : 'latest';
}
