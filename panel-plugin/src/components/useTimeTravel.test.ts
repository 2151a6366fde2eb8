import { act, renderHook } from '@testing-library/react';
import type { RangeInfo } from '../model/timeTravel';
import type { Mode } from '../options';
import { useTimeTravel, type Crosshair } from './useTimeTravel';

const range: RangeInfo = { from: 1_000_000, to: 1_600_000, step: 60_000 };

/** A crosshair that records what the panel published and lets the test move the other panels' crosshair. */
function fakeCrosshair() {
  const published: Array<number | 'clear'> = [];
  let listener: ((t: number) => void) | undefined;
  let leaver: (() => void) | undefined;
  const crosshair: Crosshair = {
    publish: (t) => published.push(t),
    clear: () => published.push('clear'),
    follow: (onTime, onLeave) => {
      listener = onTime;
      leaver = onLeave;
      return () => (listener = leaver = undefined);
    },
  };
  return {
    crosshair,
    published,
    move: (t: number) => listener?.(t),
    leave: () => leaver?.(),
    following: () => listener !== undefined,
  };
}

function setup(defaultMode: Mode = 'live', followCrosshair = false) {
  const c = fakeCrosshair();
  const hook = renderHook(
    (props: { follow: boolean }) =>
      useTimeTravel({ range, defaultMode, crosshair: c.crosshair, followCrosshair: props.follow }),
    { initialProps: { follow: followCrosshair } },
  );
  return { ...c, ...hook };
}

describe('useTimeTravel', () => {
  it('starts in the default mode; live shows the end of the range', () => {
    const { result } = setup('live');
    expect(result.current.mode).toBe('live');
    expect(result.current.instant).toBe(range.to);
  });

  it('travels to an instant, clamped to the range, and publishes it as the crosshair', () => {
    const { result, published } = setup();
    act(() => result.current.travelTo(range.from + 120_000));
    expect(result.current.mode).toBe('travel');
    expect(result.current.instant).toBe(range.from + 120_000);
    act(() => result.current.travelTo(range.from - 999_999));
    expect(result.current.instant).toBe(range.from);
    expect(published).toEqual([range.from + 120_000, range.from]);
  });

  it('steps one query step at a time and stays inside the range', () => {
    const { result } = setup();
    act(() => result.current.travelTo(range.from + 120_000));
    act(() => result.current.step(-1));
    expect(result.current.instant).toBe(range.from + 60_000);
    act(() => result.current.step(1));
    act(() => result.current.step(1));
    expect(result.current.instant).toBe(range.from + 180_000);
    act(() => result.current.travelTo(range.to));
    act(() => result.current.step(1));
    expect(result.current.instant).toBe(range.to);
  });

  it('scrubs to a fraction of the range on the step grid', () => {
    const { result } = setup();
    act(() => result.current.scrub(0.5));
    expect(result.current.mode).toBe('travel');
    expect(result.current.instant).toBe(range.from + 300_000);
    act(() => result.current.scrub(0));
    expect(result.current.instant).toBe(range.from);
  });

  it('pausing holds the instant; going live returns to the end and clears the crosshair', () => {
    const { result, published } = setup();
    act(() => result.current.travelTo(range.from + 60_000));
    act(() => result.current.setMode('paused'));
    expect(result.current.mode).toBe('paused');
    expect(result.current.instant).toBe(range.from + 60_000);
    act(() => result.current.setMode('live'));
    expect(result.current.mode).toBe('live');
    expect(result.current.instant).toBe(range.to);
    expect(published.at(-1)).toBe('clear');
  });

  it('pausing from live holds the end of the range', () => {
    const { result, published } = setup('live');
    act(() => result.current.setMode('paused'));
    expect(result.current.instant).toBe(range.to);
    expect(published).toEqual([]);
  });

  it('follows the other panels crosshair only when asked', () => {
    const off = setup('live', false);
    expect(off.following()).toBe(false);

    const { result, move, leave, following, rerender } = setup('live', true);
    expect(following()).toBe(true);
    // Live previews the other panels' instant while their cursor is there, and stays Live
    act(() => move(range.from + 240_000));
    expect(result.current.mode).toBe('live');
    expect(result.current.preview).toBe(true);
    expect(result.current.instant).toBe(range.from + 240_000);
    act(() => move(Number.NaN));
    expect(result.current.instant).toBe(range.from + 240_000);
    // ...and returns to the end of the range when it leaves
    act(() => leave());
    expect(result.current).toMatchObject({ mode: 'live', preview: false, instant: range.to });
    rerender({ follow: false });
    expect(following()).toBe(false);
  });

  it('a travelling panel moves with the crosshair and keeps the instant after it leaves', () => {
    const { result, move, leave } = setup('live', true);
    act(() => result.current.travelTo(range.from));
    act(() => move(range.from + 120_000));
    act(() => leave());
    expect(result.current).toMatchObject({ mode: 'travel', preview: false, instant: range.from + 120_000 });
  });

  it('a paused panel follows the crosshair but stays paused', () => {
    const { result, move } = setup('paused', true);
    act(() => move(range.from + 60_000));
    expect(result.current.mode).toBe('paused');
    expect(result.current.instant).toBe(range.from + 60_000);
  });
});
