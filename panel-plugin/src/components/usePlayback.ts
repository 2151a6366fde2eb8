// The play button: animates the instant from where it is (from the start when at the end) to the end of the
// range, taking the chosen time for the whole range, one query step at a time (no redraw between two steps).
import { useCallback, useEffect, useRef, useState } from 'react';
import { snapToStep } from '../model/presence';
import type { RangeInfo } from '../model/timeTravel';

/** How long playing through the whole range takes, in seconds. */
export const PLAY_SPEEDS = [5, 15, 30, 60, 120] as const;
export type PlaySpeed = (typeof PLAY_SPEEDS)[number];

export interface Playback {
  playing: boolean;
  speed: PlaySpeed;
  setSpeed(s: PlaySpeed): void;
  toggle(): void;
  stop(): void;
}

interface Options {
  range: RangeInfo;
  instant: number;
  travelTo(t: number): void;
  /** the clock (tests and the browser use the real one: requestAnimationFrame's timestamps) */
  frame?: (cb: (now: number) => void) => number;
  cancel?: (id: number) => void;
}

export function usePlayback({ range, instant, travelTo, frame, cancel }: Options): Playback {
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<PlaySpeed>(30);
  const at = useRef(instant);
  const deps = useRef({ range, travelTo, speed });
  deps.current = { range, travelTo, speed };

  useEffect(() => {
    if (!playing) return;
    const raf = frame ?? ((cb: (now: number) => void) => requestAnimationFrame(cb));
    const stopRaf = cancel ?? ((id: number) => cancelAnimationFrame(id));
    let last: number | undefined;
    let id = 0;
    const tick = (now: number) => {
      const { range: r, travelTo: go, speed: s } = deps.current;
      const dt = last === undefined ? 0 : now - last;
      last = now;
      const next = Math.min(r.to, at.current + ((r.to - r.from) * dt) / (s * 1000));
      const shown = snapToStep(at.current, r.from, r.step);
      at.current = next;
      if (next >= r.to) {
        go(r.to);
        setPlaying(false);
        return;
      }
      if (snapToStep(next, r.from, r.step) !== shown) go(snapToStep(next, r.from, r.step));
      id = raf(tick);
    };
    id = raf(tick);
    return () => stopRaf(id);
  }, [playing, frame, cancel]);

  const toggle = useCallback(() => {
    if (!playing) {
      // from the start when at the end (Live), else from the instant shown
      at.current = instant >= range.to ? range.from : instant;
      travelTo(at.current);
    }
    setPlaying(!playing);
  }, [playing, instant, range, travelTo]);
  const stop = useCallback(() => setPlaying(false), []);
  return { playing, speed, setSpeed, toggle, stop };
}
