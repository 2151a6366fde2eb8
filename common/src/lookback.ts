// When a series counts as present: a sample in (T - lookback, T]. The datasource's queries and the presence
// recording rule must use the same window, or the rule's fast path answers differently from the raw series.

/** 2 scrape intervals, minus 1 ms so the window is (T - 2*scrape, T] on Prometheus' inclusive range selectors. */
export function lookbackMs(scrapeIntervalMs: number): number {
  return 2 * scrapeIntervalMs - 1;
}
