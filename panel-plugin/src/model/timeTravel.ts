// Instants on the dashboard's range: clamping, stepping by the query step, and the instants around a deploy.
import { snapToStep } from './presence';

export interface RangeInfo {
  from: number;
  to: number;
  step: number;
}

export function clampInstant(t: number, r: RangeInfo): number {
  return Math.min(r.to, Math.max(r.from, t));
}

/** One query step earlier (dir -1) or later (+1), on the step grid, inside the range. */
export function stepInstant(t: number, dir: -1 | 1, r: RangeInfo): number {
  const snapped = snapToStep(clampInstant(t, r), r.from, r.step);
  const next = dir > 0 ? snapped + r.step : snapped === t ? snapped - r.step : snapped;
  return clampInstant(next, r);
}

/** The instant at a fraction (0..1) of the range, on the step grid. */
export function instantAt(fraction: number, r: RangeInfo): number {
  const t = r.from + Math.min(1, Math.max(0, fraction)) * (r.to - r.from);
  return clampInstant(snapToStep(t + r.step / 2, r.from, r.step), r);
}

/** The first instant of the step grid at or after `t`. */
function ceilToStep(t: number, from: number, step: number): number {
  if (step <= 0) return t;
  return from + Math.ceil((t - from) / step - 1e-9) * step;
}

/**
 * Just before a deploy started and just after it ended, as sample instants of the timeline. On a coarse grid an
 * instant stands for its cell (what was seen during the step up to it: docs/time-travel.md, "Grid cells"), so the
 * instant before is the last whose cell ends before the start, and the instant after the first whose cell begins
 * after the end (the replaced pods' last samples then fall before it).
 */
export function aroundDeploy(
  time: number,
  timeEnd: number | undefined,
  r: RangeInfo,
): { before: number; after: number } {
  const before = clampInstant(snapToStep(time - 1, r.from, r.step), r);
  const after = clampInstant(ceilToStep(timeEnd ?? time, r.from, r.step) + r.step, r);
  return { before, after };
}
