import { cellWindowMs, lookbackMs } from './lookback';
import { presenceRuleTiming } from './presenceRule';

describe('the presence lookback', () => {
  it('is two scrape intervals less 1 ms', () => {
    expect(lookbackMs(15_000)).toBe(29_999);
    expect(lookbackMs(1_000)).toBe(1_999);
  });
  it('is the window the presence rule uses', () => {
    expect(presenceRuleTiming(15).lookbackMs).toBe(lookbackMs(15_000));
    expect(presenceRuleTiming(60).lookbackMs).toBe(lookbackMs(60_000));
  });
});

describe("the window on each store's range selectors", () => {
  it('selects (T - 2 scrapes, T] on closed and left-open stores', () => {
    expect(lookbackMs(15_000, 'left-open')).toBe(30_000);
    expect(lookbackMs(15_000, 'closed')).toBe(29_999);
  });
  it('is a whole step on a coarse grid, never less than the lookback', () => {
    expect(cellWindowMs(15_000, 600_000, 'closed')).toBe(599_999);
    expect(cellWindowMs(15_000, 15_000, 'left-open')).toBe(30_000);
  });
});
