// Deploy events (docs/metrics.md, "Deploy events") as annotations: one instant query for the start and end series
// of every deploy whose start falls in the range.
import { DeployMetric, Label, quote, type Matcher, matcher, durationMs, lookbackMs } from '@timescope/common';
import { exactValues } from './adapters';
import type { PromClient } from './promClient';

export interface DeployFilters {
  namespace?: string;
  workload?: string;
  /** workload kind(s) */
  kind?: string;
}

export interface DeployAnnotation {
  id: string;
  /** ms since the epoch */
  time: number;
  /** end of the rollout (ms), when known: the annotation is a region */
  timeEnd?: number;
  title: string;
  text: string;
  tags: string[];
  namespace: string;
  workload: string;
  revision: string;
  status: string;
  url: string;
}

export function deployMatchers(f: DeployFilters): Matcher[] {
  const m: Matcher[] = [];
  if (f.namespace) m.push({ label: Label.Namespace, op: '=~', value: exactValues(f.namespace) });
  if (f.workload) m.push({ label: Label.Workload, op: '=~', value: exactValues(f.workload) });
  if (f.kind) m.push({ label: Label.Kind, op: '=~', value: exactValues(f.kind) });
  return m;
}

export function deploysQuery(f: DeployFilters, windowMs: number): string {
  const names = `${DeployMetric.Timestamp}|${DeployMetric.EndTimestamp}`;
  const matchers = [`__name__=~${quote(names)}`, ...deployMatchers(f).map(matcher)].join(', ');
  return `last_over_time({${matchers}}[${durationMs(windowMs)}])`;
}

/** The annotation's text, HTML-escaped (Grafana renders it as HTML): who and why, what and where, the link. */
export function annotationText(l: Record<string, string | undefined>, revision: string, status: string): string {
  return [
    // a rollout has no author: its subject stands alone
    [l.author ?? '', l.subject ?? ''].filter(Boolean).map(escapeHtml).join(': '),
    `${escapeHtml(l.kind ?? '')} ${escapeHtml(l.namespace ?? '')}/${escapeHtml(l.workload ?? '')} @ ${escapeHtml(revision)} (${escapeHtml(status)}, via ${escapeHtml(l.source ?? '')})`,
    l.url ? escapeHtml(l.url) : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/** Label values come from outside: keep them text even where Grafana renders annotation text as HTML. */
export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

export async function queryDeploys(
  client: PromClient,
  range: { fromMs: number; toMs: number; scrapeIntervalMs: number },
  f: DeployFilters,
  signal?: AbortSignal,
): Promise<DeployAnnotation[]> {
  const windowMs = range.toMs - range.fromMs + lookbackMs(range.scrapeIntervalMs);
  const rows = await client.instant(deploysQuery(f, windowMs), range.toMs / 1000, signal);
  const ends = new Map<string, { sec: number; status: string }>();
  for (const r of rows)
    if (r.metric.status !== undefined)
      ends.set(r.metric.id ?? '', { sec: Number(r.value[1]), status: r.metric.status });
  const out: DeployAnnotation[] = [];
  for (const r of rows) {
    const l = r.metric;
    if (l.status !== undefined) continue;
    const time = Math.round(Number(r.value[1]) * 1000);
    if (!(time >= range.fromMs && time <= range.toMs)) continue;
    const end = ends.get(l.id ?? '');
    const timeEnd = end && end.sec * 1000 > time ? Math.round(end.sec * 1000) : undefined;
    const status = end?.status ?? 'in progress';
    const revision = l.revision ?? '';
    const text = annotationText(l, revision, status);
    out.push({
      id: l.id ?? '',
      time,
      ...(timeEnd !== undefined ? { timeEnd } : {}),
      title: `${l.workload ?? ''} ${revision.slice(0, 12)}`.trim(),
      text,
      tags: ['deploy', l.namespace ?? '', l.workload ?? '', l.source ?? '', status].filter(Boolean),
      namespace: l.namespace ?? '',
      workload: l.workload ?? '',
      revision,
      status,
      url: l.url ?? '',
    });
  }
  return out.sort((a, b) => a.time - b.time || a.id.localeCompare(b.id));
}
