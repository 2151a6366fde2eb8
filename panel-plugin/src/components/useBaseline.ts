// The diff's baseline: off, the start of the range (the Diff button), or just before a deploy (a deploy marker,
// which also travels to just after it).
import { useCallback, useState } from 'react';
import type { DeployMarker } from '../model/deploys';
import { aroundDeploy, type RangeInfo } from '../model/timeTravel';

export interface Baseline {
  /** the instant compared with, null when the diff is off */
  baseline: number | null;
  /** the deploy being compared across, null when the diff is off or was not started from a marker */
  deploy: DeployMarker | null;
  /** the Diff button: against the start of the range, or off */
  toggle(): void;
  /** compares just before the deploy with just after it, travelling there */
  acrossDeploy(marker: DeployMarker): void;
  clear(): void;
}

export function useBaseline(range: RangeInfo, travelTo: (t: number) => void): Baseline {
  const [baseline, setBaseline] = useState<number | null>(null);
  const [deploy, setDeploy] = useState<DeployMarker | null>(null);
  const toggle = useCallback(() => {
    setBaseline((b) => (b === null ? range.from : null));
    setDeploy(null);
  }, [range.from]);
  const acrossDeploy = useCallback(
    (m: DeployMarker) => {
      const { before, after } = aroundDeploy(m.time, m.timeEnd, range);
      travelTo(after);
      setBaseline(before);
      setDeploy(m);
    },
    [range, travelTo],
  );
  const clear = useCallback(() => {
    setBaseline(null);
    setDeploy(null);
  }, []);
  return { baseline, deploy: baseline !== null ? deploy : null, toggle, acrossDeploy, clear };
}
