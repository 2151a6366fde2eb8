// The dashboard's auto refresh, as Grafana's refresh picker does it: every interval the time range is evaluated
// again and the queries re-run. A range whose end is "now" (no `to` in the URL, or a relative pick such as "Last
// 5 minutes") moves with the clock, so the panel's Live instant advances; an absolute range re-runs as it is.

/** The picker's choices (Grafana's RefreshPicker lists these; '' is Off). */
export const REFRESH_INTERVALS = ['5s', '10s', '30s', '1m'];

/** Milliseconds of a refresh choice, or 0 for Off or a value the picker does not offer. */
export function refreshMs(value: string): number {
  if (!REFRESH_INTERVALS.includes(value)) return 0;
  const n = Number(value.slice(0, -1));
  return value.endsWith('m') ? n * 60_000 : n * 1000;
}

/** Which ends of the range follow the clock: none (absolute), the end (from fixed, to now), or both (last N). */
export type Follow = 'none' | 'to' | 'span';

export interface HostRange {
  from: number;
  to: number;
}

/** The range at `now`, re-evaluated as the refresh does. */
export function reevaluate(range: HostRange, follow: Follow, now: number): HostRange {
  if (follow === 'span') return { from: now - (range.to - range.from), to: now };
  if (follow === 'to') return { from: range.from, to: now };
  return { ...range }; // a new object: the queries re-run on the same range
}

/** What the URL's from/to say follows the clock: `to` absent or "now"; `from` absent (last hour) too. */
export function followOf(from: string | null, to: string | null): Follow {
  if (to !== null && to !== 'now') return 'none';
  return from === null ? 'span' : 'to';
}
