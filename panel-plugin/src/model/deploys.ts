// Deploy markers from the panel's annotations (data.annotations): when, what, which workload, the commit link.
import type { DataFrame, Field } from '@grafana/data';
import { parseDeployTags, parseNodeId } from '@timescope/common';
import { safeUrl } from './links';

export interface DeployMarker {
  time: number;
  timeEnd?: number;
  title: string;
  text: string;
  workload: string;
  revision: string;
  url?: string;
}

function fieldOf(frame: DataFrame, ...names: string[]): Field | undefined {
  return frame.fields.find((f) => names.includes(f.name));
}

function value(f: Field | undefined, i: number): string {
  const v: unknown = f?.values[i];
  if (v === null || v === undefined) return '';
  return Array.isArray(v) ? v.join(',') : String(v);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * Grafana treats annotation text as HTML, so every writer escapes it (the datasource with named entities, the
 * exporter's push with numeric ones); the panel shows it as text, so it is unescaped once.
 */
function htmlText(s: string): string {
  return s.replace(
    /&(?:#(\d+)|#x([0-9a-f]+)|(amp|lt|gt|quot|apos));/gi,
    (e, dec?: string, hex?: string, name?: string) => {
      if (name) return ENTITIES[name.toLowerCase()] ?? e;
      const code = dec ? Number.parseInt(dec, 10) : Number.parseInt(hex ?? '', 16);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : e;
    },
  );
}

const URL_RE = /https?:\/\/[^\s"'<>]+/g;

/**
 * The workload (`namespace/name`) and revision written in the title or text of an annotation that has no deploy
 * tags (docs/metrics.md, "Deploy events"): a Prometheus annotation query typically writes `Deploy ns/name` and
 * `subject (revision)`.
 */
function fromText(title: string, text: string): { workload: string; revision: string } {
  const plain = `${title}\n${text.replace(URL_RE, ' ')}`;
  const workload = /(?:^|\s)([a-z0-9][\w.-]*\/[a-z0-9][\w.-]*)(?=\s|$)/im.exec(plain)?.[1] ?? '';
  const revision = /\b([0-9a-f]{7,40})\b/.exec(plain)?.[1] ?? '';
  return { workload, revision };
}

function tagsOf(f: Field | undefined, i: number): readonly string[] | string | undefined {
  const v: unknown = f?.values[i];
  if (Array.isArray(v)) return v.map(String);
  return typeof v === 'string' ? v : undefined;
}

export function deployMarkers(annotations: DataFrame[] | undefined): DeployMarker[] {
  const out: DeployMarker[] = [];
  for (const frame of annotations ?? []) {
    const time = fieldOf(frame, 'time', 'Time');
    if (!time) continue;
    const [timeEnd, title, text, tags, url, workload, revision, namespace] = [
      fieldOf(frame, 'timeEnd'),
      fieldOf(frame, 'title'),
      fieldOf(frame, 'text'),
      fieldOf(frame, 'tags'),
      fieldOf(frame, 'url'),
      fieldOf(frame, 'workload'),
      fieldOf(frame, 'revision'),
      fieldOf(frame, 'namespace'),
    ];
    for (let i = 0; i < frame.length; i++) {
      const t = Number(time.values[i]);
      if (!Number.isFinite(t)) continue;
      const end = Number(timeEnd?.values[i]);
      const head = htmlText(value(title, i));
      const body = htmlText(value(text, i));
      const tagged = parseDeployTags(tagsOf(tags, i));
      const guess = fromText(head, body);
      const link = value(url, i) || tagged.url || body.match(URL_RE)?.[0] || '';
      const ns = value(namespace, i) || tagged.namespace || '';
      const wl = value(workload, i) || tagged.workload || '';
      out.push({
        time: t,
        timeEnd: Number.isFinite(end) && end > t ? end : undefined,
        title: head || wl || guess.workload || 'deploy',
        text: body,
        workload: ns && wl && !wl.includes('/') ? `${ns}/${wl}` : wl || guess.workload,
        revision: value(revision, i) || tagged.revision || guess.revision,
        url: safeUrl(link),
      });
    }
  }
  return out.sort((a, b) => a.time - b.time);
}

/**
 * The deploys that concern a node: its workload (from a workload id, a `workload` detail, a service of the same
 * name, or a pod named after the workload, as Deployments and StatefulSets name them) appears in them.
 */
export function deploysOfNode(
  markers: DeployMarker[],
  node: { id: string; details: Record<string, string> },
): DeployMarker[] {
  const keys = new Set<string>();
  const own = workloadKey(node.id);
  if (own) keys.add(own);
  // the detail's key is its field's display name when it has one (Workload), else the field name (workload)
  const wl = node.details.workload ?? node.details.Workload;
  if (wl) keys.add(workloadKey(wl, 'workload') ?? wl);
  const p = parseNodeId(node.id);
  const pod = p.kind === 'pod' && p.namespace && p.name ? p : undefined;
  return markers.filter((d) => {
    const [ns, name] = d.workload.includes('/') ? d.workload.split('/', 2) : ['', d.workload];
    if (!name) return false;
    if (keys.has(d.workload) || (!ns && [...keys].some((k) => k.endsWith(`/${name}`)))) return true;
    return !!pod && (!ns || ns === pod.namespace) && podOf(pod.name, name);
  });
}

/**
 * A pod name as the workload's controller makes it: `name-hash-suffix` (Deployment), `name-ordinal` (StatefulSet)
 * or `name-suffix` (DaemonSet, Job). So `carts-db-0` is not a pod of `carts` (its rest, `db-0`, is too short for a
 * hash and a suffix), nor is `carts-database-7f9c-abcd`.
 */
function podOf(pod: string, workload: string): boolean {
  if (!pod.startsWith(`${workload}-`)) return false;
  return /^(\d+|[a-z0-9]{4,}(-[a-z0-9]{4,})?)$/.test(pod.slice(workload.length + 1));
}

/** `namespace/name` of a workload id with its kind (or, unless `only` says otherwise, of a namespaced service id). */
function workloadKey(id: string, only?: 'workload'): string | undefined {
  const p = parseNodeId(id);
  if (p.kind === 'workload' && p.workloadKind && p.namespace && p.name) return `${p.namespace}/${p.name}`;
  if (!only && p.kind === 'service' && p.namespace && p.name) return `${p.namespace}/${p.name}`;
  return undefined;
}
