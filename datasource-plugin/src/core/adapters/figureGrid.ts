// The instants L7 figures are asked at: a step of their own, coarser than the query's where the query's is finer than
// a rate can be (two samples need a few scrape intervals) or than a figure needs (a figure is a label and a colour at
// the panel's instant, not a chart). Each value is the figure over its own step: the windows tile the range, ending
// at the range's end, so the figure at the end is that of the last step before it.
import { windowMs, type RangeBounds } from '@timescope/common';
import type { Grid } from '../timeline';

/** At most this many figure values per edge over the range (the step is coarsened to fit). */
export const MAX_FIGURE_POINTS = 200;
/** A figure's window holds at least this many scrape intervals (a rate needs two samples, with room for a miss). */
export const MIN_FIGURE_SCRAPES = 4;

/**
 * The figures' grid: step max(query step, 4 scrape intervals, range / 199) in whole seconds, its instants
 * `toMs - k x step` back to the first at or before `fromMs`.
 */
export function figureGrid(grid: Grid, scrapeIntervalMs: number): Grid {
  const rangeMs = Math.max(0, grid.toMs - grid.fromMs);
  const least = Math.max(grid.stepMs, MIN_FIGURE_SCRAPES * scrapeIntervalMs, rangeMs / (MAX_FIGURE_POINTS - 1));
  const stepMs = Math.ceil(least / 1000) * 1000;
  const steps = Math.ceil(rangeMs / stepMs);
  return { fromMs: grid.toMs - steps * stepMs, toMs: grid.toMs, stepMs };
}

/** The range selector of one figure step: the samples in (T - step, T] (no sample counts in two steps). */
export function figureWindowOf(figures: Grid, bounds: RangeBounds): number {
  return windowMs(figures.stepMs, bounds);
}

const duration = (ms: number): string => {
  const s = ms / 1000;
  if (s < 120 || s % 60 !== 0) return `${s.toLocaleString('en')} s`;
  return s % 3600 === 0 ? `${s / 3600} h` : `${s / 60} min`;
};

/** Says the figures' step when it is not the query's (undefined when it is). */
export function figureStepNote(figures: Grid, grid: Grid): string | undefined {
  if (figures.stepMs === grid.stepMs) return undefined;
  return (
    `L7 figures: one value every ${duration(figures.stepMs)}, each over the ${duration(figures.stepMs)} before it ` +
    `(the graph's step is ${duration(grid.stepMs)}; a figure's step holds at least ${MIN_FIGURE_SCRAPES} scrape ` +
    `intervals, and at most ${MAX_FIGURE_POINTS} values span the range).`
  );
}
