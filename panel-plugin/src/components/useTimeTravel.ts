// The time-travel state: Live shows the end of the range, Paused and Travel hold an instant inside it. Travel
// publishes the instant as the dashboard's crosshair; with "follow", the other panels' crosshair moves it.
import { useCallback, useEffect, useState } from 'react';
import { clampInstant, instantAt, stepInstant, type RangeInfo } from '../model/timeTravel';
import type { Mode } from '../options';

/** The dashboard's shared crosshair, as the hook needs it (crosshairOf builds it from Grafana's event bus). */
export interface Crosshair {
  publish(t: number): void;
  clear(): void;
  /** calls onTime with each instant the other panels' crosshair shows; returns the unsubscribe */
  follow(onTime: (t: number) => void): () => void;
}

export interface TimeTravelOptions {
  range: RangeInfo;
  defaultMode: Mode;
  crosshair: Crosshair;
  followCrosshair: boolean;
}

export interface TimeTravel {
  mode: Mode;
  /** the instant drawn: the end of the range when live, else the held instant clamped to the range */
  instant: number;
  /** switches mode; leaving Live holds the current instant, returning to Live clears the crosshair */
  setMode(m: Mode): void;
  /** travels to t (clamped to the range) */
  travelTo(t: number): void;
  /** travels one query step earlier (-1) or later (+1) */
  step(dir: -1 | 1): void;
  /** travels to a fraction (0..1) of the range, on the step grid (the timeline strip's scrub) */
  scrub(fraction: number): void;
}

export function useTimeTravel({ range, defaultMode, crosshair, followCrosshair }: TimeTravelOptions): TimeTravel {
  const [mode, setModeState] = useState<Mode>(defaultMode);
  const [held, setHeld] = useState<number>(range.to);
  const instant = mode === 'live' ? range.to : clampInstant(held, range);

  useEffect(() => {
    if (mode === 'travel') crosshair.publish(instant);
  }, [mode, instant, crosshair]);
  useEffect(() => {
    if (!followCrosshair) return;
    return crosshair.follow((t) => {
      if (!Number.isFinite(t)) return;
      setHeld(t);
      setModeState((m) => (m === 'live' ? 'travel' : m));
    });
  }, [crosshair, followCrosshair]);

  const travelTo = useCallback(
    (t: number) => {
      setHeld(clampInstant(t, range));
      setModeState('travel');
    },
    [range],
  );
  const setMode = useCallback(
    (m: Mode) => {
      if (m !== 'live') setHeld(instant);
      if (m === 'live') crosshair.clear();
      setModeState(m);
    },
    [instant, crosshair],
  );
  const step = useCallback((dir: -1 | 1) => travelTo(stepInstant(instant, dir, range)), [travelTo, instant, range]);
  const scrub = useCallback((fraction: number) => travelTo(instantAt(fraction, range)), [travelTo, range]);
  return { mode, instant, setMode, travelTo, step, scrub };
}
