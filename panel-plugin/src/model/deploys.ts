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
      const body = value(text, i);
      const tagText = value(tags, i);
      const link = value(url, i) || /https?:\/\/[^\s"'<>]+/.exec(body)?.[0] || '';
      const ns = value(namespace, i) || tagValue(tagText, 'namespace');
      const wl = value(workload, i) || tagValue(tagText, 'workload');
      out.push({
        time: t,
        timeEnd: Number.isFinite(end) && end > t ? end : undefined,
        title: value(title, i) || wl || 'deploy',
        text: body,
        workload: ns && wl && !wl.includes('/') ? `${ns}/${wl}` : wl,
        revision: value(revision, i) || tagValue(tagText, 'revision'),
        url: safeUrl(link),
      });
    }
  }
  return out.sort((a, b) => a.time - b.time);
}

/** The deploys that concern a node: its workload (from the id, a detail field, or its name) appears in them. */
export function deploysOfNode(
  markers: DeployMarker[],
  node: { id: string; details: Record<string, string> },
): DeployMarker[] {
  const keys = new Set<string>();
  const m = /^workload:([^/]+)\/[^/]+\/(.+)$/.exec(node.id);
  if (m) keys.add(`${m[1]}/${m[2]}`).add(m[2]);
  const wl = node.details.workload;
  if (wl) {
    const w = /^workload:([^/]+)\/[^/]+\/(.+)$/.exec(wl);
    if (w) keys.add(`${w[1]}/${w[2]}`);
    else keys.add(wl);
  }
  if (keys.size === 0) return [];
  return markers.filter((d) => keys.has(d.workload) || keys.has(d.workload.split('/').pop() ?? ''));
}
