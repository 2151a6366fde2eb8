import { lookbackMs } from './lookback';
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
