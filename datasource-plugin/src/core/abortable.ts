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

/**
 * A controller aborted with any of `parents` (a query's cancellation, a timeout); abort it yourself when one of
 * several parallel requests fails, so that the others stop too instead of running on unobserved.
 */
export function childController(...parents: Array<AbortSignal | undefined>): AbortController {
  const c = new AbortController();
  for (const p of parents) {
    if (!p) continue;
    if (p.aborted) c.abort(p.reason);
    else p.addEventListener('abort', () => c.abort(p.reason), { once: true });
  }
  return c;
}
