// Deploy markers from the panel's annotations (data.annotations): when, what, which workload, the commit link.
import type { DataFrame, Field } from '@grafana/data';
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

function tagValue(tags: string, key: string): string {
  const hit = tags.split(',').find((t) => t.startsWith(`${key}:`) || t.startsWith(`${key}=`));
  return hit ? hit.slice(key.length + 1) : '';
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** Annotation text is escaped for Grafana's HTML tooltips; the panel shows it as text, so it is unescaped once. */
export function unescapeHtml(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e] ?? e);
}

const URL_RE = /https?:\/\/[^\s"'<>]+/g;

/**
 * The workload (`namespace/name`) and revision written in an annotation's title or text, for annotations that carry
 * no such fields (Grafana keeps only time, timeEnd, title, text and tags): our datasource writes
 * `Kind ns/name @ revision`, a Prometheus annotation query typically `Deploy ns/name` and `subject (revision)`.
 */
function fromText(title: string, text: string): { workload: string; revision: string } {
  const plain = `${title}\n${text.replace(URL_RE, ' ')}`;
  const at = /([\w.-]+\/[\w.-]+) @ ([0-9a-f]{7,40})\b/i.exec(plain);
  if (at) return { workload: at[1], revision: at[2] };
  const workload = /(?:^|\s)([a-z0-9][\w.-]*\/[a-z0-9][\w.-]*)(?=\s|$)/im.exec(plain)?.[1] ?? '';
  const revision = /\b([0-9a-f]{7,40})\b/.exec(plain)?.[1] ?? '';
  return { workload, revision };
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
      const head = unescapeHtml(value(title, i));
      const body = unescapeHtml(value(text, i));
      const tagText = value(tags, i);
      const guess = fromText(head, body);
      const link = value(url, i) || body.match(URL_RE)?.[0] || '';
      const ns = value(namespace, i) || tagValue(tagText, 'namespace');
      const wl = value(workload, i) || tagValue(tagText, 'workload');
      out.push({
        time: t,
        timeEnd: Number.isFinite(end) && end > t ? end : undefined,
        title: head || wl || guess.workload || 'deploy',
        text: body,
        workload: ns && wl && !wl.includes('/') ? `${ns}/${wl}` : wl || guess.workload,
        revision: value(revision, i) || tagValue(tagText, 'revision') || guess.revision,
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
  const workloadId = /^workload:([^/]+)\/[^/]+\/(.+)$/;
  const m = workloadId.exec(node.id);
  if (m) keys.add(`${m[1]}/${m[2]}`);
  const svc = /^service:([^/]+)\/(.+)$/.exec(node.id);
  if (svc) keys.add(`${svc[1]}/${svc[2]}`);
  const wl = node.details.workload;
  if (wl) {
    const w = workloadId.exec(wl);
    keys.add(w ? `${w[1]}/${w[2]}` : wl);
  }
  const pod = /^pod:([^/]+)\/(.+)$/.exec(node.id);
  return markers.filter((d) => {
    const [ns, name] = d.workload.includes('/') ? d.workload.split('/', 2) : ['', d.workload];
    if (!name) return false;
    if (keys.has(d.workload) || (!ns && [...keys].some((k) => k.endsWith(`/${name}`)))) return true;
    return !!pod && (!ns || ns === pod[1]) && pod[2].startsWith(`${name}-`);
  });
}
