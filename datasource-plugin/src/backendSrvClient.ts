// The PromClient of the built plugin: every request goes through getBackendSrv().fetch to the datasource
// instance's URL, i.e. Grafana's data proxy (`access: proxy`), which adds the credentials kept in secureJsonData.
// This is the plugin's only network path. The fetch function is passed in (datasource.ts passes
// getBackendSrv().fetch), so this module needs nothing of Grafana's runtime and tests can hand it a stand-in.
import type { BackendSrvRequest, FetchError, FetchResponse } from '@grafana/runtime';
import type { Observable } from 'rxjs';
import { onAbort } from './core/abortable';
import {
  apiUrl,
  classifyResponse,
  isStatusPath,
  promClient,
  PrometheusError,
  warningsOf,
  type PromClient,
  type PromTransport,
} from './core/promClient';

/** The shape of getBackendSrv().fetch: an Observable of the response that errors with a FetchError. */
export type BackendFetch = (options: BackendSrvRequest) => Observable<FetchResponse<unknown>>;

export interface BackendSrvClientOptions {
  fetch: BackendFetch;
  /** the datasource instance's url (`/api/datasources/proxy/uid/<uid>` in Grafana) */
  url: string;
  onWarnings?: (warnings: string[]) => void;
  /** prefix of Grafana request ids: a newer request with the same id cancels the older one */
  requestId?: string;
}

function isFetchError(e: unknown): e is FetchError {
  return typeof e === 'object' && e !== null && 'status' in e;
}

/** The transport over Grafana's backendSrv: GET through the data proxy, cancelled by unsubscribing. */
function backendSrvTransport(o: BackendSrvClientOptions): PromTransport {
  let n = 0;
  return (path, params, what, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new PrometheusError('cancelled', 'the query was cancelled'));
      const qs = new URLSearchParams(params).toString();
      // the query's signal is shared by all its requests: its listener goes when this request settles
      let unlisten = (): void => undefined;
      let done = false;
      const settle =
        <T>(f: (v: T) => void) =>
        (v: T): void => {
          done = true;
          unlisten();
          f(v);
        };
      const [ok, ko] = [settle(resolve), settle(reject)];
      const sub = o
        .fetch({
          url: `${apiUrl(o.url, path)}${qs ? `?${qs}` : ''}`,
          method: 'GET',
          showErrorAlert: false,
          showSuccessAlert: false,
          // VictoriaMetrics' /flags is plain text
          ...(path === '/flags' ? { responseType: 'text' as const } : {}),
          ...(o.requestId ? { requestId: `${o.requestId}-${n++}` } : {}),
        })
        .subscribe({
          next: (r: FetchResponse<unknown>) => {
            const err = classifyResponse(r.status, r.data, what, !isStatusPath(path));
            if (err) return ko(err);
            const w = warningsOf(r.data);
            if (w.length > 0) o.onWarnings?.(w);
            ok(r.data);
          },
          error: (e: unknown) => {
            if (isFetchError(e) && e.cancelled) return ko(new PrometheusError('cancelled', 'the query was cancelled'));
            if (isFetchError(e)) {
              return ko(
                classifyResponse(e.status ?? 0, e.data, what) ??
                  new PrometheusError('server', `Prometheus failed (HTTP ${e.status}) ${String(e.statusText ?? '')}`),
              );
            }
            ko(new PrometheusError('unreachable', `Prometheus is unreachable: ${String(e)}`));
          },
        });
      if (signal && !done)
        unlisten = onAbort(signal, () => {
          sub.unsubscribe(); // cancels the HTTP request
          reject(new PrometheusError('cancelled', 'the query was cancelled'));
        });
    });
}

export function backendSrvPromClient(o: BackendSrvClientOptions): PromClient {
  return promClient(backendSrvTransport(o));
}
