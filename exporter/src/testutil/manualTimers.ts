// Timers driven by the test: time moves only when the test says so, so a schedule is checked by counting, not waiting.
import type { Timers } from '../runtime/timers';

interface Pending {
  id: number;
  at: number;
  fn: () => void;
}

/** Lets promise callbacks (a cycle's continuation) run before the clock moves on. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class ManualTimers implements Timers {
  private clock = 0;
  private nextId = 1;
  private pending: Pending[] = [];

  now(): number {
    return this.clock;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.push({ id, at: this.clock + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((p) => p.id !== handle);
  }

  /** Moves the clock by `ms`, firing every timer due on the way, in order. */
  async advance(ms: number): Promise<void> {
    const end = this.clock + ms;
    await settle();
    for (;;) {
      const due = this.pending.filter((p) => p.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.pending = this.pending.filter((p) => p !== due);
      this.clock = Math.max(this.clock, due.at);
      due.fn();
      await settle();
    }
    this.clock = Math.max(this.clock, end);
  }

  /** Moves the clock without firing anything, as a blocked event loop would. */
  jump(ms: number): void {
    this.clock += ms;
  }
}
