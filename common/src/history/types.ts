// The shape of a recorded history: series with a lifetime, sampled on a fixed grid, plus the deploy events they
// encode. Both the hand-written 24-hour scenario and the synthetic benchmark histories use it.

/** One series: `metric{labels} value` sampled every `resolutionSec` from `fromSec` (inclusive) to `toSec` (exclusive). */
export interface HistorySeries {
  metric: string;
  labels: Readonly<Record<string, string>>;
  fromSec: number;
  toSec: number;
  value: number;
}

export type DeployStatus = 'succeeded' | 'failed';

/** A deploy event as the deploy-events exporter publishes it (docs/metrics.md, "Deploy events"). */
export interface HistoryDeploy {
  id: string;
  namespace: string;
  workload: string;
  kind: string;
  revision: string;
  source: string;
  author: string;
  subject: string;
  url: string;
  startSec: number;
  /** absent while the rollout is still running at the end of the history */
  end?: { sec: number; status: DeployStatus };
}

export interface History {
  /** first sample instant (s since the epoch) */
  startSec: number;
  /** last sample instant (s since the epoch) */
  endSec: number;
  resolutionSec: number;
  series: HistorySeries[];
  deploys: HistoryDeploy[];
  /** named instants of the scenario (s since the epoch), e.g. `cartsDeploy`, `paymentGone` */
  events: Readonly<Record<string, number>>;
}
