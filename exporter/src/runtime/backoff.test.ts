import { Backoff } from './backoff';

describe('Backoff', () => {
  it('doubles from the first delay up to the cap, and starts over after a success', () => {
    const b = new Backoff({ initial: 1, max: 30 });
    expect([1, 2, 3, 4, 5, 6, 7].map(() => b.next())).toEqual([1, 2, 4, 8, 16, 30, 30]);
    b.reset();
    expect(b.next()).toBe(1);
  });

  it('never goes under its first delay, even with a cap below it', () => {
    const b = new Backoff({ initial: 5, max: 2 });
    expect([b.next(), b.next()]).toEqual([5, 5]);
  });

  it('spreads delays by the jitter fraction either way', () => {
    const low = new Backoff({ initial: 1000, max: 300_000, jitter: 0.25, random: () => 0 });
    const high = new Backoff({ initial: 1000, max: 300_000, jitter: 0.25, random: () => 1 });
    expect([low.next(), low.next()]).toEqual([750, 1500]);
    expect([high.next(), high.next()]).toEqual([1250, 2500]);
  });

  it('refuses a first delay that is not positive', () => {
    expect(() => new Backoff({ initial: 0, max: 1 })).toThrow('above zero');
  });
});
