// One probe loop for every polled source, as a rate: cycle k is due at start + k x interval, whatever the cycles
// before it took. A cycle still running when the next is due makes that one skipped and counted as an overrun, never
// queued, so a slow probe neither piles up work nor drifts the schedule (a 1 s probe stays on its second).
import { realTimers, type Timers } from './timers';

export interface ProbeLoopOptions {
  intervalMs: number;
  /** one cycle; it must not throw (the runtime's wrapper records failures) */
  run: () => Promise<void>;
  /** called with the number of cycles skipped because the previous one was still running */
  onOverrun?: (skipped: number) => void;
  timers?: Timers;
}

export class ProbeLoop {
  private readonly timers: Timers;
  private origin = 0;
  /** index of the tick the timer is set for */
  private tick = 0;
  private timer: unknown;
  private running: Promise<void> | undefined;
  private stopped = false;
  /** cycles started */
  cycles = 0;
  /** ticks skipped because a cycle was still running */
  overruns = 0;

  constructor(private readonly opts: ProbeLoopOptions) {
    if (!(opts.intervalMs > 0)) throw new Error('a probe interval must be positive');
    this.timers = opts.timers ?? realTimers;
  }

  /** The first cycle starts at once (on the next turn of the event loop), then one every interval. */
  start(): void {
    this.stopped = false;
    this.origin = this.timers.now();
    this.tick = 0;
    this.timer = this.timers.setTimeout(() => this.due(), 0);
  }

  /** Stops scheduling and waits for the cycle in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timers.clearTimeout(this.timer);
    await this.running;
  }

  private due(): void {
    if (this.stopped) return;
    // A timer that fired late (a busy event loop) may have slept through ticks: they are one due cycle, not many.
    const now = this.timers.now();
    const current = Math.max(this.tick, Math.floor((now - this.origin) / this.opts.intervalMs));
    const passed = current - this.tick + 1;
    if (this.running) {
      this.overruns += passed;
      this.opts.onOverrun?.(passed);
    } else {
      this.cycles++;
      this.running = this.opts.run().finally(() => {
        this.running = undefined;
      });
    }
    this.tick = current + 1;
    const at = this.origin + this.tick * this.opts.intervalMs;
    this.timer = this.timers.setTimeout(() => this.due(), Math.max(0, at - this.timers.now()));
  }
}
