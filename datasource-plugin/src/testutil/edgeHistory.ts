// Histories in other edge sources' schemas, for tests against a real Prometheus: series with a lifetime and a
// value that may grow (counters), written as OpenMetrics with explicit timestamps and backfilled.
import { escapeExpositionLabelValue } from '@timescope/common/history';
import { startPrometheus, type RunningPrometheus } from '@timescope/common/testing';

export interface GrowingSeries {
  metric: string;
  labels: Readonly<Record<string, string>>;
  /** first sample (s), inclusive */
  fromSec: number;
  /** end (s), exclusive */
  toSec: number;
  /** value at `t` (a counter grows: `perSec * (t - fromSec)`) */
  value: (tSec: number) => number;
}

export const RESOLUTION_SEC = 15;

/** A counter growing by `perSec` each second from its first sample. */
export function counter(
  metric: string,
  labels: Record<string, string>,
  life: readonly [number, number],
  perSec: number,
): GrowingSeries {
  return { metric, labels, fromSec: life[0], toSec: life[1], value: (t) => perSec * (t - life[0]) };
}

/** A gauge at `v` while alive. */
export function gauge(
  metric: string,
  labels: Record<string, string>,
  life: readonly [number, number],
  v = 1,
): GrowingSeries {
  return { metric, labels, fromSec: life[0], toSec: life[1], value: () => v };
}

/** The OpenMetrics text of the series, sampled every RESOLUTION_SEC on a grid from `startSec`. */
export function openMetricsOf(series: readonly GrowingSeries[], startSec: number): string {
  const byMetric = new Map<string, GrowingSeries[]>();
  for (const s of series) byMetric.set(s.metric, [...(byMetric.get(s.metric) ?? []), s]);
  const lines: string[] = [];
  for (const [metric, list] of byMetric) {
    lines.push(`# TYPE ${metric} gauge`);
    for (const s of list) {
      const labels = Object.entries(s.labels)
        .map(([k, v]) => `${k}="${escapeExpositionLabelValue(v)}"`)
        .join(',');
      const first = startSec + Math.ceil((s.fromSec - startSec) / RESOLUTION_SEC) * RESOLUTION_SEC;
      for (let t = first; t < s.toSec; t += RESOLUTION_SEC) lines.push(`${metric}{${labels}} ${s.value(t)} ${t}`);
    }
  }
  lines.push('# EOF', '');
  return lines.join('\n');
}

/** A Prometheus holding the series; call `stop()` when done. */
export function startEdgeHistory(series: readonly GrowingSeries[], startSec: number): Promise<RunningPrometheus> {
  return startPrometheus({ openMetrics: openMetricsOf(series, startSec) });
}
