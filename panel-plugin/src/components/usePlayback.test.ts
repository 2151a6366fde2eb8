import { act, renderHook } from '@testing-library/react';
import type { RangeInfo } from '../model/timeTravel';
import { usePlayback } from './usePlayback';

const range: RangeInfo = { from: 0, to: 600_000, step: 60_000 };

/** A clock the test advances: each `advance` runs the pending animation frame at now + ms. */
function fakeClock() {
  let pending: ((now: number) => void) | undefined;
  let now = 0;
  return {
    frame: (cb: (n: number) => void) => {
      pending = cb;
      return 1;
    },
    cancel: () => (pending = undefined),
    advance(ms: number) {
      now += ms;
      const cb = pending;
      pending = undefined;
      cb?.(now);
    },
    pending: () => pending !== undefined,
  };
}

function setup(instant: number) {
  const clock = fakeClock();
  const visited: number[] = [];
  const travelTo = (t: number) => visited.push(t);
  const hook = renderHook(() => usePlayback({ range, instant, travelTo, frame: clock.frame, cancel: clock.cancel }));
  return { clock, visited, ...hook };
}

describe('usePlayback', () => {
  it('plays from the start when at the end, one step at a time, at the chosen speed, and stops at the end', () => {
    const { clock, visited, result } = setup(range.to);
    act(() => result.current.setSpeed(5));
    act(() => result.current.toggle());
    expect(result.current.playing).toBe(true);
    // 5 s for 10 steps: a step every 0.5 s
    act(() => clock.advance(0));
    act(() => clock.advance(1000));
    expect(visited).toEqual([0, 120_000]);
    for (let i = 0; i < 10; i++) act(() => clock.advance(500));
    expect(visited.at(-1)).toBe(range.to);
    expect(visited).toEqual([...visited].sort((a, b) => a - b));
    expect(result.current.playing).toBe(false);
    expect(clock.pending()).toBe(false);
  });

  it('plays from the instant shown, and pauses when toggled again', () => {
    const { clock, visited, result } = setup(300_000);
    act(() => result.current.toggle());
    act(() => clock.advance(0));
    act(() => clock.advance(3000));
    expect(visited).toEqual([300_000, 360_000]);
    act(() => result.current.toggle());
    expect(result.current.playing).toBe(false);
    expect(clock.pending()).toBe(false);
  });
});
