// Kubernetes workloads declared in YAML files (multi-document files and `kind: List` included): what the git
// watcher compares between a commit and its parent to find the workloads a commit changed.
import { parseAllDocuments } from 'yaml';

/** Kinds that run pods: a change to one of them is a deploy. */
export const WORKLOAD_KINDS: ReadonlySet<string> = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'Rollout',
  'DeploymentConfig',
]);

export interface WorkloadManifest {
  namespace: string;
  kind: string;
  name: string;
  /** container name -> image, init containers included */
  images: Record<string, string>;
  /** the first (main) container's name, whose image tag is the workload's version */
  primary?: string;
  /** spec.replicas when the manifest sets it */
  replicas?: number;
  /** the whole document (without `status`) with sorted keys: equal fingerprints mean no change */
  fingerprint: string;
}

export interface ParsedFile {
  workloads: WorkloadManifest[];
  /** messages for documents that could not be read (the file is then not trusted for this commit) */
  errors: string[];
}

export function workloadKey(w: Pick<WorkloadManifest, 'namespace' | 'kind' | 'name'>): string {
  return `${w.namespace}/${w.kind}/${w.name}`;
}

export function isManifestFile(path: string): boolean {
  return /\.(ya?ml|json)$/i.test(path);
}

/** Reads every workload out of one file's text. Non-workload documents (Services, ConfigMaps...) are ignored. */
export function parseManifests(text: string, defaultNamespace = 'default'): ParsedFile {
  const workloads: WorkloadManifest[] = [];
  const errors: string[] = [];
  let docs;
  try {
    docs = parseAllDocuments(text, { uniqueKeys: false });
  } catch (e) {
    return { workloads, errors: [String(e)] };
  }
  const list = Array.isArray(docs) ? docs : [docs];
  for (const doc of list) {
    if (doc.errors.length > 0) {
      errors.push(doc.errors[0].message);
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      errors.push(String(e));
      continue;
    }
    for (const obj of expandList(value)) {
      const w = toWorkload(obj, defaultNamespace);
      if (w) workloads.push(w);
    }
  }
  return { workloads, errors };
}

function expandList(value: unknown): unknown[] {
  if (isRecord(value) && typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) {
    return value.items;
  }
  return [value];
}

function toWorkload(obj: unknown, defaultNamespace: string): WorkloadManifest | undefined {
  if (!isRecord(obj) || typeof obj.kind !== 'string' || !WORKLOAD_KINDS.has(obj.kind)) return undefined;
  const meta = obj.metadata;
  if (!isRecord(meta) || typeof meta.name !== 'string' || meta.name === '') return undefined;
  const namespace = typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : defaultNamespace;
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const podSpec =
    obj.kind === 'CronJob' ? path(spec, 'jobTemplate', 'spec', 'template', 'spec') : path(spec, 'template', 'spec');
  const images: Record<string, string> = {};
  let primary: string | undefined;
  if (isRecord(podSpec)) {
    for (const field of ['initContainers', 'containers']) {
      const list = podSpec[field];
      if (!Array.isArray(list)) continue;
      for (const c of list) {
        if (!isRecord(c) || typeof c.name !== 'string' || typeof c.image !== 'string') continue;
        images[c.name] = c.image;
        if (field === 'containers') primary ??= c.name;
      }
    }
  }
  const w: WorkloadManifest = {
    namespace,
    kind: obj.kind,
    name: meta.name,
    images,
    fingerprint: stableJson({ ...obj, status: undefined }),
  };
  if (primary !== undefined) w.primary = primary;
  if (typeof spec.replicas === 'number' && Number.isFinite(spec.replicas)) w.replicas = spec.replicas;
  return w;
}

function path(obj: unknown, ...keys: string[]): unknown {
  let cur = obj;
  for (const k of keys) {
    if (!isRecord(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON with object keys sorted, so that reordering a manifest's fields is not a change. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (isRecord(v)) {
    const keys = Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson(v[k])}`).join(',')}}`;
  }
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  return JSON.stringify(v) ?? 'null';
}
