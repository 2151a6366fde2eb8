// When a series counts as present: a sample in (T - 2 x scrape, T]. The datasource's queries and the presence
// recording rule must use the same window, or the rule's fast path answers differently from the raw series. How a
// range selector `[d]` bounds its window depends on the store: Prometheus 2.x includes the left end ([T - d, T]),
// VictoriaMetrics and Prometheus 3 exclude it ((T - d, T]); the selector's duration is chosen here for both.

/** `closed`: Prometheus 2.x range selectors include their left end; `left-open`: VictoriaMetrics, Prometheus 3. */
export type RangeBounds = 'closed' | 'left-open';

/** The range selector's duration that selects the samples in (T - span, T] on a store with these bounds. */
export function windowMs(spanMs: number, bounds: RangeBounds = 'closed'): number {
  return bounds === 'closed' ? spanMs - 1 : spanMs;
}

/** 2 scrape intervals as a range selector: `2s - 1 ms` on Prometheus 2.x, `2s` on left-open stores. */
export function lookbackMs(scrapeIntervalMs: number, bounds: RangeBounds = 'closed'): number {
  return windowMs(2 * scrapeIntervalMs, bounds);
}

/**
 * The window of one cell of a grid of step `stepMs`: a sample anywhere in the step counts (nothing between two grid
 * instants is lost), and never less than the lookback (a fine grid keeps the instant's own rule).
 */
export function cellWindowMs(scrapeIntervalMs: number, stepMs: number, bounds: RangeBounds = 'closed'): number {
  return windowMs(Math.max(2 * scrapeIntervalMs, stepMs), bounds);
}

/** The duration as PromQL writes it (`29999ms`); the presence rule's `lookback` label holds it. */
export function lookbackLabel(scrapeIntervalMs: number, bounds: RangeBounds = 'closed'): string {
  return `${lookbackMs(scrapeIntervalMs, bounds)}ms`;
}
