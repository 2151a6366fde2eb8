// Grafana cancels a query by unsubscribing from the Observable that query() returned (when the range changes, the
// dashboard refreshes or the panel re-runs). This turns that unsubscription into an AbortSignal, which every
// Prometheus request of the query listens to, so in-flight requests are cancelled rather than left to finish.
import { Observable } from 'rxjs';

export function abortable<T>(run: (signal: AbortSignal) => Promise<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const abort = new AbortController();
    run(abort.signal).then(
      (value) => {
        if (abort.signal.aborted) return;
        subscriber.next(value);
        subscriber.complete();
      },
      (e: unknown) => {
        if (!abort.signal.aborted) subscriber.error(e);
      },
    );
    return () => abort.abort();
  });
}

interface Waiting {
  callbacks: Set<() => void>;
  fire: () => void;
}

/** The callbacks waiting on each signal's abort, behind one listener per signal. */
const waiting = new WeakMap<AbortSignal, Waiting>();

/**
 * Calls `f` when `signal` aborts; the function returned unregisters it. A query's one signal is shared by all its
 * requests: one listener each would pile up while they are in flight (Node warns past 10,
 * MaxListenersExceededWarning) and, never removed, keep every finished request reachable; here the signal holds one
 * listener, whatever the number of requests, and none once they are all done.
 */
export function onAbort(signal: AbortSignal, f: () => void): () => void {
  let w = waiting.get(signal);
  if (!w) {
    const callbacks = new Set<() => void>();
    const fire = (): void => {
      waiting.delete(signal);
      for (const cb of [...callbacks]) cb();
    };
    signal.addEventListener('abort', fire, { once: true });
    w = { callbacks, fire };
    waiting.set(signal, w);
  }
  const mine = w;
  mine.callbacks.add(f);
  return () => {
    mine.callbacks.delete(f);
    if (mine.callbacks.size > 0 || waiting.get(signal) !== mine) return;
    waiting.delete(signal);
    signal.removeEventListener('abort', mine.fire);
  };
}

/** A controller linked to its parents; `release` unlinks it (its callbacks on the parents are removed). */
export interface ChildController extends AbortController {
  release(): void;
}

/**
 * A controller aborted with any of `parents` (a query's cancellation, a timeout); abort it yourself when one of
 * several parallel requests fails, so that the others stop too instead of running on unobserved. Call `release`
 * when it is done (see onAbort).
 */
export function childController(...parents: Array<AbortSignal | undefined>): ChildController {
  const c = new AbortController();
  const unlink: Array<() => void> = [];
  const release = (): void => {
    for (const u of unlink.splice(0)) u();
  };
  for (const p of parents) {
    if (!p) continue;
    if (p.aborted) {
      c.abort(p.reason);
      continue;
    }
    unlink.push(
      onAbort(p, () => {
        c.abort(p.reason);
        release();
      }),
    );
  }
  return Object.assign(c, { release });
}
