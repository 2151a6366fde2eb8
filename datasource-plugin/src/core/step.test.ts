// The step: never finer than the scrape interval or Grafana's interval, never more than 2,000 steps (so no series
// comes near Prometheus' 11,000 points, and 1,000 nodes and 5,000 edges over 7 days stay within its default
// 50M-sample limit: docs/time-travel.md, "Limits"), whole seconds.
import { chooseStep, MAX_STEPS, PROMETHEUS_MAX_POINTS } from './step';

const H = 3_600_000;
const DAY = 24 * H;
const at = (rangeMs: number, o: { scrape?: number; intervalMs?: number; maxDataPoints?: number } = {}): number =>
  chooseStep({
    fromMs: 1_764_000_000_000 - rangeMs,
    toMs: 1_764_000_000_000,
    scrapeIntervalMs: o.scrape ?? 15_000,
    intervalMs: o.intervalMs,
    maxDataPoints: o.maxDataPoints,
  });

describe('the step', () => {
  it('is the scrape interval for short ranges', () => {
    expect(at(H)).toBe(15_000);
    expect(at(5 * 60_000, { scrape: 30_000 })).toBe(30_000);
  });

  it('follows the panel width (maxDataPoints) and Grafana’s interval when they are coarser', () => {
    expect(at(DAY, { maxDataPoints: 1000 })).toBe(87_000);
    expect(at(DAY, { intervalMs: 120_000, maxDataPoints: 1000 })).toBe(120_000);
    expect(at(7 * DAY, { maxDataPoints: 1000 })).toBe(605_000);
  });

  it('keeps every series under 2,000 points, far under Prometheus’ 11,000, whatever the range and width', () => {
    for (const range of [H, DAY, 7 * DAY, 30 * DAY, 365 * DAY]) {
      for (const maxDataPoints of [undefined, 100, 1000, 5000, 100_000]) {
        const step = at(range, { maxDataPoints });
        const points = Math.floor(range / step) + 1;
        expect({ range, maxDataPoints, ok: points <= MAX_STEPS + 1 && points < PROMETHEUS_MAX_POINTS }).toEqual({
          range,
          maxDataPoints,
          ok: true,
        });
        expect(step % 1000).toBe(0);
      }
    }
  });

  it('stays a whole number of seconds of at least one second for an empty range', () => {
    expect(at(0, { scrape: 200 })).toBe(1000);
  });
});
