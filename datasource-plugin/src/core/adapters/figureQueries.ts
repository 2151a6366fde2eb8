// The PromQL of L7 figures: request rate, failed requests' rate and p95 latency over a window, each its own range
// query (figures.ts decodes them and works out the error ratio). Three plain aggregations cost Prometheus far less
// than one query joining them (label_replace and `or` over every row at every step, the rate asked three times).
import { selector, type Matcher } from '@timescope/common';
import type { FigureQueries } from './types';

export interface RequestMetrics {
  /** the request counter, its failed part and the latency histogram's buckets: metric names and matchers */
  requests: string;
  failed: string;
  buckets: string;
  failedMatchers?: readonly Matcher[];
  /**
   * A label each of whose values counts every request again (Istio's `reporter`: the client's and the server's
   * proxy): per edge, the figures of the first value that has series, never their sum.
   */
  prefer?: { label: string; values: readonly string[] };
  /** the histogram's unit in seconds when it is not seconds (Istio's milliseconds: 0.001) */
  bucketUnitSec?: number;
}

/** The three figures' queries from a request counter, its failed part and a latency histogram's buckets. */
export function requestFigures(by: readonly string[], windowMs: number, m: RequestMetrics): FigureQueries {
  const b = by.join(', ');
  const w = `[${windowMs}ms]`;
  // one aggregation per preferred value, joined by `or` (which keeps the left side's rows where both have the edge)
  const preferring = (metric: string, matchers: readonly Matcher[], agg: (sel: string) => string): string => {
    if (!m.prefer) return agg(selector(metric, matchers));
    const { label, values } = m.prefer;
    const each = values.map((v) => agg(selector(metric, [...matchers, { label, op: '=', value: v }])));
    return each.length === 1 ? each[0] : `(${each.join(' or ')})`;
  };
  const rate = preferring(m.requests, [], (s) => `sum by (${b}) (rate(${s}${w}))`);
  // only the steps with failures are sent: none for an edge is no errors (figures.ts: 0 where it has a rate)
  const failedRate = preferring(m.failed, m.failedMatchers ?? [], (s) => `sum by (${b}) (rate(${s}${w}))`);
  const failed = `${failedRate} > 0`;
  const buckets = preferring(m.buckets, [], (s) => `sum by (${b}, le) (rate(${s}${w}))`);
  const inUnit = (q: string): string => (m.bucketUnitSec === undefined ? q : `${q} * ${m.bucketUnitSec}`);
  const p95 = inUnit(`histogram_quantile(0.95, ${buckets})`);
  if (m.prefer) return { rate, failed, p95 };
  // without a preferred label the rate is a plain sum of one counter's rates, which its raw samples give too
  const rateOf = { selector: selector(m.requests), by };
  const p95Unsummed = { query: inUnit(`histogram_quantile(0.95, rate(${selector(m.buckets)}${w}))`), by };
  const failedUnsummed = { query: `rate(${selector(m.failed, m.failedMatchers ?? [])}${w}) > 0`, by };
  return { rate, failed, p95, rateOf, p95Unsummed, failedUnsummed };
}
