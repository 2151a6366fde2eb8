// The query step: no finer than the scrape interval (nothing happens between scrapes), no finer than Grafana's
// interval for the panel's width, and coarse enough that a series has at most MAX_POINTS points (Prometheus
// refuses more than 11,000 per series) and the range query stays far below the default 50M-sample limit. A step
// coarser than two scrapes loses nothing between grid instants: each instant then stands for its cell, the step up
// to it (queryPlan.ts's cellTimingFor; docs/time-travel.md, "Grid cells").
export const PROMETHEUS_MAX_POINTS = 11_000;
/** our own cap: 2,000 steps x 6,000 series x 4 selectors stays under 50M samples even at 7 days */
export const MAX_STEPS = 2_000;

export interface StepInput {
  fromMs: number;
  toMs: number;
  scrapeIntervalMs: number;
  /** Grafana's request.intervalMs (range / maxDataPoints, rounded) */
  intervalMs?: number;
  maxDataPoints?: number;
}

/** A step in whole seconds (ms), so grid instants line up with scrapes. */
export function chooseStep(i: StepInput): number {
  const range = Math.max(0, i.toMs - i.fromMs);
  const maxSteps = Math.min(
    MAX_STEPS,
    i.maxDataPoints && i.maxDataPoints > 0 ? i.maxDataPoints : 1000,
    PROMETHEUS_MAX_POINTS - 1,
  );
  const step = Math.max(i.scrapeIntervalMs, i.intervalMs ?? 0, range / maxSteps, 1000);
  return Math.ceil(step / 1000) * 1000;
}
