// The self-metrics every source publishes about its own probe cycles (docs/metrics.md, "Self-metrics"):
// timescope_source_up, timescope_probe_duration_seconds, timescope_probe_last_success_timestamp_seconds and
// timescope_probe_errors_total{kind}. Any component may use one; the renderer merges families of the same name.
import { Metric } from '@timescope/common';
import type { Collector, MetricFamily } from './source';

export type ProbeErrorKind = 'vanished' | 'permission' | 'malformed' | 'io';
export const PROBE_ERROR_KINDS: readonly ProbeErrorKind[] = ['vanished', 'permission', 'malformed', 'io'];

/** Maps a Node.js error (errno code) to a probe error kind. */
export function errorKind(e: unknown): ProbeErrorKind {
  const code = (e as { code?: string } | undefined)?.code;
  if (code === 'ENOENT' || code === 'ESRCH') return 'vanished';
  if (code === 'EACCES' || code === 'EPERM') return 'permission';
  return 'io';
}

export class SourceHealth implements Collector {
  private up = 0;
  private durationSeconds = 0;
  private lastSuccess = 0;
  private readonly errors: Record<ProbeErrorKind, number> = { vanished: 0, permission: 0, malformed: 0, io: 0 };

  constructor(
    readonly source: string,
    private readonly host: string,
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

  errorCount(kind: ProbeErrorKind): number {
    return this.errors[kind];
  }

  isUp(): boolean {
    return this.up === 1;
  }

  collect(): MetricFamily[] {
    const labels = { source: this.source, host: this.host };
    return [
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
  }
}
