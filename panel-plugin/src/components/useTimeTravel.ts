// The time-travel state: Live shows the end of the range, Paused and Travel hold an instant inside it. Travel
// publishes the instant as the dashboard's crosshair; with "follow", the other panels' crosshair moves it, except
// in Live, where it is only a preview: the mode stays Live and the instant returns to the end when the cursor leaves.
// (Leaving Live on a mere hover over another graph left the panel stuck in Travel.)
import { useCallback, useEffect, useRef, useState } from 'react';
import { clampInstant, instantAt, stepInstant, type RangeInfo } from '../model/timeTravel';
import type { Mode } from '../options';

/** The dashboard's shared crosshair, as the hook needs it (crosshairOf builds it from Grafana's event bus). */
export interface Crosshair {
  publish(t: number): void;
  clear(): void;
  /** calls onTime with each instant the other panels' crosshair shows, onLeave when it goes; returns the unsubscribe */
  follow(onTime: (t: number) => void, onLeave: () => void): () => void;
}

export interface TimeTravelOptions {
  range: RangeInfo;
  defaultMode: Mode;
  crosshair: Crosshair;
  followCrosshair: boolean;
}

export interface TimeTravel {
  mode: Mode;
  /** the instant drawn: the end of the range when live (or the crosshair's preview), else the held instant */
  instant: number;
  /** Live, showing the other panels' crosshair instant while it is there */
  preview: boolean;
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
  const modeRef = useRef(mode);
  modeRef.current = mode;
  const [held, setHeld] = useState<number>(range.to);
  const [hovered, setHovered] = useState<number | null>(null);
  const preview = mode === 'live' && hovered !== null;
  const instant = mode === 'live' ? (preview ? clampInstant(hovered, range) : range.to) : clampInstant(held, range);

  useEffect(() => {
    if (mode === 'travel') crosshair.publish(instant);
  }, [mode, instant, crosshair]);
  useEffect(() => {
    if (!followCrosshair) return;
    return crosshair.follow(
      (t) => {
        if (!Number.isFinite(t)) return;
        setHovered(t);
        // Paused and Travel hold what the crosshair showed; Live only previews it
        setHeld((h) => (modeRef.current === 'live' ? h : t));
      },
      () => setHovered(null),
    );
  }, [crosshair, followCrosshair]);
  useEffect(() => {
    if (!followCrosshair) setHovered(null);
  }, [followCrosshair]);

  const travelTo = useCallback(
    (t: number) => {
      setHovered(null);
      setHeld(clampInstant(t, range));
      setModeState('travel');
    },
    [range],
  );
  const setMode = useCallback(
    (m: Mode) => {
      if (m !== 'live') setHeld(instant);
      if (m === 'live') crosshair.clear();
      setHovered(null);
      setModeState(m);
    },
    [instant, crosshair],
  );
  const step = useCallback((dir: -1 | 1) => travelTo(stepInstant(instant, dir, range)), [travelTo, instant, range]);
  const scrub = useCallback((fraction: number) => travelTo(instantAt(fraction, range)), [travelTo, range]);
  return { mode, instant, preview, setMode, travelTo, step, scrub };
}
