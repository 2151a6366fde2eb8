// The self-metrics the runtime publishes for every source about its probe cycles (docs/metrics.md, "Self-metrics"):
// timescope_source_up, timescope_probe_duration_seconds, timescope_probe_last_success_timestamp_seconds,
// timescope_probe_errors_total{kind} and, for sources probed at a rate, timescope_probe_overruns_total. The renderer
// merges families of the same name across sources.
import { Metric } from '@timescope/common';
import type { Collector, HealthReport, MetricFamily, ProbeErrorKind } from './source';

export type { ProbeErrorKind } from './source';
export const PROBE_ERROR_KINDS: readonly ProbeErrorKind[] = ['vanished', 'permission', 'malformed', 'io'];

/** Maps a Node.js error (errno code) to a probe error kind. */
export function errorKind(e: unknown): ProbeErrorKind {
  const code = (e as { code?: string } | undefined)?.code;
  if (code === 'ENOENT' || code === 'ESRCH') return 'vanished';
  if (code === 'EACCES' || code === 'EPERM') return 'permission';
  return 'io';
}

export class SourceHealth implements Collector, HealthReport {
  private up = 0;
  private durationSeconds = 0;
  private lastSuccess = 0;
  private readonly errors: Record<ProbeErrorKind, number> = { vanished: 0, permission: 0, malformed: 0, io: 0 };
  private overruns = 0;

  constructor(
    readonly source: string,
    private readonly host: string,
    /** probed at a rate by the runtime: publishes timescope_probe_overruns_total */
    private readonly paced = false,
  ) {}

  /** A probe cycle finished; `ok` false means the cycle produced nothing usable. */
  cycle(ok: boolean, durationSeconds: number, now = Date.now() / 1000): void {
    this.up = ok ? 1 : 0;
    this.durationSeconds = durationSeconds;
    if (ok) this.lastSuccess = now;
  }

  error(kind: ProbeErrorKind, count = 1): void {
    this.errors[kind] += count;
  }

  /** Cycles that were due while the previous one still ran, and so were skipped. */
  overrun(count = 1): void {
    this.overruns += count;
  }

  overrunCount(): number {
    return this.overruns;
  }

  errorCount(kind: ProbeErrorKind): number {
    return this.errors[kind];
  }

  isUp(): boolean {
    return this.up === 1;
  }

  collect(): MetricFamily[] {
    const labels = { source: this.source, host: this.host };
    const families: MetricFamily[] = [
      {
        name: Metric.SourceUp,
        help: '1 if the source completed its last probe cycle, else 0.',
        type: 'gauge',
        samples: [{ labels, value: this.up }],
      },
      {
        name: Metric.ProbeDurationSeconds,
        help: 'Wall time of the last complete probe cycle.',
        type: 'gauge',
        samples: [{ labels, value: this.durationSeconds }],
      },
      {
        name: Metric.ProbeLastSuccessTimestampSeconds,
        help: 'End of the last successful probe cycle, seconds since the epoch (0 before the first).',
        type: 'gauge',
        samples: [{ labels, value: this.lastSuccess }],
      },
      {
        name: Metric.ProbeErrorsTotal,
        help: 'Errors met while probing, by kind (vanished, permission, malformed, io).',
        type: 'counter',
        samples: PROBE_ERROR_KINDS.map((kind) => ({
          labels: { source: this.source, kind, host: this.host },
          value: this.errors[kind],
        })),
      },
    ];
    if (this.paced)
      families.push({
        name: Metric.ProbeOverrunsTotal,
        help: 'Probe cycles skipped because the previous cycle was still running when they were due.',
        type: 'counter',
        samples: [{ labels, value: this.overruns }],
      });
    return families;
  }
}
