// An open-loop load: requests start on a fixed schedule (one every 1/rate s) whatever the server does, with at most
// as many in flight as there are senders. A closed loop (each sender sends again once answered) slows down with the
// server it measures and never sends the requests a stall would have delayed, so it hides the stall (coordinated
// omission); here a request that is due while every sender is busy waits for one, counted as late, and every
// latency is measured from the request's scheduled start, not from when it could be sent.

export interface OpenLoopOptions<S> {
  /** requests in all */
  count: number;
  /** requests started per second on the schedule */
  ratePerS: number;
  /** one per request in flight at most */
  senders: readonly S[];
  /** sends request `i` on `sender`; resolves with the answer's status once it is read */
  send(sender: S, i: number): Promise<number>;
}

export interface OpenLoopResult {
  /** from scheduled start to answer read, per request (ms) */
  ms: number[];
  /** from scheduled start to sent, per request (ms): the timer's lag, or the wait for a free sender */
  startLagMs: number[];
  /** requests that were due while every sender was busy */
  late: number;
  /** from the first scheduled start to the last answer (ms) */
  spanMs: number;
  /** answers by status code */
  codes: Map<number, number>;
}

/** Runs the schedule to its end and resolves once every request is answered (rejects on the first failure). */
export function runOpenLoop<S>(opts: OpenLoopOptions<S>): Promise<OpenLoopResult> {
  const periodMs = 1000 / opts.ratePerS;
  const free = [...opts.senders];
  const out: OpenLoopResult = { ms: [], startLagMs: [], late: 0, spanMs: 0, codes: new Map() };
  const t0 = performance.now() + 1;
  let next = 0;
  let answered = 0;
  /** since when every sender has been busy (undefined while one is free) */
  let fullSince: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  return new Promise((resolve, reject) => {
    const start = (i: number, sender: S, now: number): void => {
      const due = t0 + i * periodMs;
      out.startLagMs.push(now - due);
      opts.send(sender, i).then((status) => {
        const end = performance.now();
        out.ms.push(end - due);
        out.codes.set(status, (out.codes.get(status) ?? 0) + 1);
        const wasFullSince = fullSince;
        free.push(sender);
        fullSince = undefined;
        if (++answered === opts.count) {
          out.spanMs = end - t0;
          return resolve(out);
        }
        startDue(wasFullSince);
      }, reject);
    };
    // `fullFrom`: every sender was busy from then until the answer that calls this; a request that fell due
    // meanwhile waited for a sender (late). A sender taken again at once keeps the pool full since then.
    const startDue = (fullFrom?: number): void => {
      const now = performance.now();
      while (next < opts.count && t0 + next * periodMs <= now) {
        // the sender idle longest: each is used every `senders` requests, so none sits idle past the server's
        // keep-alive timeout (5 s in node:http) and finds its connection closed
        const sender = free.shift();
        if (sender === undefined) return; // the next answer frees one and starts this request
        if (fullFrom !== undefined && t0 + next * periodMs >= fullFrom) out.late++;
        start(next++, sender, now);
        if (free.length === 0) fullSince = fullFrom ?? now;
      }
      if (next < opts.count && timer === undefined) {
        timer = setTimeout(
          () => {
            timer = undefined;
            startDue();
          },
          Math.max(0, t0 + next * periodMs - now),
        );
      }
    };
    startDue();
  });
}
