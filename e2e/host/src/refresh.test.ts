import { followOf, reevaluate, refreshMs } from './refresh';

describe('the host refresh', () => {
  it('knows the picker intervals and nothing else', () => {
    expect(['', '5s', '10s', '30s', '1m', '2s', 'x'].map(refreshMs)).toEqual([0, 5000, 10000, 30000, 60000, 0, 0]);
  });

  it('moves a range ending now with the clock and re-runs an absolute one as it is', () => {
    const r = { from: 1000, to: 5000 };
    expect(reevaluate(r, 'span', 9000)).toEqual({ from: 5000, to: 9000 });
    expect(reevaluate(r, 'to', 9000)).toEqual({ from: 1000, to: 9000 });
    const same = reevaluate(r, 'none', 9000);
    expect(same).toEqual(r);
    expect(same).not.toBe(r);
  });

  it('reads from the URL which end follows the clock', () => {
    expect(followOf(null, null)).toBe('span');
    expect(followOf('1000', null)).toBe('to');
    expect(followOf('1000', 'now')).toBe('to');
    expect(followOf('1000', '2000')).toBe('none');
  });
});
