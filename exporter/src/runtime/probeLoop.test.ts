import { ManualTimers } from '../testutil/manualTimers';
import { ProbeLoop } from './probeLoop';

/** A loop whose cycles each take `cycleMs` on the manual clock; counts how many ran at once. */
function loopWith(cycleMs: number, intervalMs = 1000) {
  const timers = new ManualTimers();
  const seen = { concurrent: 0, maxConcurrent: 0, overrunCalls: 0 };
  const loop = new ProbeLoop({
    intervalMs,
    timers,
    run: () =>
      new Promise<void>((resolve) => {
        seen.concurrent++;
        seen.maxConcurrent = Math.max(seen.maxConcurrent, seen.concurrent);
        timers.setTimeout(() => {
          seen.concurrent--;
          resolve();
        }, cycleMs);
      }),
    onOverrun: (n) => {
      seen.overrunCalls += n;
    },
  });
  return { timers, loop, seen };
}

describe('ProbeLoop', () => {
  it('starts a cycle every interval, however long the cycles take (a rate, not a delay)', async () => {
    const { timers, loop } = loopWith(400);
    loop.start();
    await timers.advance(9_500);
    // ticks at 0, 1 s, ..., 9 s; a loop waiting an interval after each cycle would have started 7
    expect(loop.cycles).toBe(10);
    expect(loop.overruns).toBe(0);
    await loop.stop();
  });

  it('skips and counts the cycles due while one still runs, and never queues them', async () => {
    const { timers, loop, seen } = loopWith(2_500);
    loop.start();
    await timers.advance(6_500);
    // cycles start at 0, 3 s and 6 s; the ticks at 1, 2, 4 and 5 s find one running
    expect(loop.cycles).toBe(3);
    expect(loop.overruns).toBe(4);
    expect(seen.overrunCalls).toBe(4);
    expect(seen.maxConcurrent).toBe(1);
    const stopped = loop.stop();
    await timers.advance(3_000); // lets the cycle in flight finish
    await stopped;
  });

  it('runs one cycle, not a burst, when its timer fires late', async () => {
    const { timers, loop } = loopWith(10);
    loop.start();
    await timers.advance(500);
    expect(loop.cycles).toBe(1);
    timers.jump(3_000); // the event loop was busy elsewhere through the ticks at 1, 2 and 3 s
    await timers.advance(0);
    expect(loop.cycles).toBe(2);
    expect(loop.overruns).toBe(0);
    await timers.advance(1_000); // and the schedule stays on its grid: the next tick is at 4 s
    expect(loop.cycles).toBe(3);
    await loop.stop();
  });

  it('stops scheduling on stop and waits for the cycle in flight', async () => {
    const { timers, loop, seen } = loopWith(300);
    loop.start();
    await timers.advance(100);
    const stopped = loop.stop();
    await timers.advance(5_000);
    await stopped;
    expect(loop.cycles).toBe(1);
    expect(seen.concurrent).toBe(0);
  });

  it('refuses an interval that is not positive', () => {
    expect(() => new ProbeLoop({ intervalMs: 0, run: async () => undefined })).toThrow('positive');
  });
});
