// Writes a history as OpenMetrics text with explicit timestamps, the input of
// `promtool tsdb create-blocks-from openmetrics`: one `# TYPE` line per family, every sample of a family together,
// each series' samples in time order, `# EOF` at the end.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { History, HistorySeries } from './types';

/** Escapes a label value for the exposition formats (backslash, double quote, newline). */
export function escapeExpositionLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function seriesPrefix(s: HistorySeries): string {
  const labels = Object.entries(s.labels)
    .map(([k, v]) => `${k}="${escapeExpositionLabelValue(v)}"`)
    .join(',');
  return `${s.metric}{${labels}} `;
}

/** The grid instants at which `s` has a sample. */
export function sampleInstants(h: Pick<History, 'startSec' | 'endSec' | 'resolutionSec'>, s: HistorySeries): number[] {
  const res = h.resolutionSec;
  const first = Math.max(h.startSec, h.startSec + Math.ceil((s.fromSec - h.startSec) / res) * res);
  const out: number[] = [];
  for (let t = first; t < s.toSec && t <= h.endSec; t += res) out.push(t);
  return out;
}

/** Calls `emit` with chunks of OpenMetrics text (a few hundred kB each), so huge histories need not fit a string. */
export function emitOpenMetrics(h: History, emit: (chunk: string) => void): void {
  const families = new Map<string, HistorySeries[]>();
  for (const s of h.series) {
    const list = families.get(s.metric);
    if (list) list.push(s);
    else families.set(s.metric, [s]);
  }
  let buf: string[] = [];
  let size = 0;
  const push = (line: string): void => {
    buf.push(line);
    size += line.length;
    if (size > 256 * 1024) {
      emit(buf.join(''));
      buf = [];
      size = 0;
    }
  };
  for (const [metric, list] of families) {
    push(`# TYPE ${metric} gauge\n`);
    for (const s of list) {
      const prefix = `${seriesPrefix(s)}${s.value} `;
      for (const t of sampleInstants(h, s)) push(`${prefix}${t}\n`);
    }
  }
  push('# EOF\n');
  emit(buf.join(''));
}

/** The whole history as one OpenMetrics string (fine for the 24-hour scenario: a few tens of MB). */
export function toOpenMetrics(h: History): string {
  const parts: string[] = [];
  emitOpenMetrics(h, (c) => parts.push(c));
  return parts.join('');
}

/** Writes the history to `path` as OpenMetrics without building one big string; returns the bytes written. */
export function writeOpenMetricsFile(h: History, path: string): number {
  const fd = openSync(path, 'w');
  let bytes = 0;
  try {
    emitOpenMetrics(h, (c) => {
      bytes += writeSync(fd, c);
    });
  } finally {
    closeSync(fd);
  }
  return bytes;
}
