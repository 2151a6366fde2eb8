// getBackendSrv().fetch as the plugin meets it inside Grafana, for tests: the request goes to Grafana's data proxy
// (played here by forwarding to `upstream`, as Grafana's server does), a non-2xx answer errors the Observable with
// a FetchError ({ status, statusText, data }), an unreachable upstream is the proxy's 502, an upstream 401 the
// proxy's 400 "Authentication to data source failed", and unsubscribing aborts the HTTP request.
import type { BackendSrvRequest, FetchError, FetchResponse } from '@grafana/runtime';
import { Observable } from 'rxjs';
import type { BackendFetch } from '../backendSrvClient';
import { PROXY_AUTH_FAILED } from '../core/promClient';

export const PROXY_PREFIX = '/api/datasources/proxy/uid/timescope';

export interface RecordedRequest {
  url: string;
  requestId?: string;
}

export function backendFetch(upstream: () => string, log: RecordedRequest[] = []): BackendFetch {
  return (options: BackendSrvRequest) =>
    new Observable<FetchResponse<unknown>>((sub) => {
      log.push({ url: options.url, requestId: options.requestId });
      const ctrl = new AbortController();
      const path = options.url.startsWith(PROXY_PREFIX) ? options.url.slice(PROXY_PREFIX.length) : options.url;
      const fail = (status: number, statusText: string, data: unknown): void =>
        sub.error({ status, statusText, data, config: options } as FetchError);
      fetch(`${upstream()}${path}`, { method: options.method ?? 'GET', signal: ctrl.signal }).then(
        async (r) => {
          const text = await r.text();
          let data: unknown = text;
          try {
            data = JSON.parse(text);
          } catch {
            // not JSON: Grafana hands the text on
          }
          // Grafana's data proxy hides an upstream 401 behind a 400 with a fixed text body
          if (r.status === 401) return fail(400, 'Bad Request', PROXY_AUTH_FAILED);
          if (!r.ok) return fail(r.status, r.statusText, data);
          sub.next({ data, status: r.status, statusText: r.statusText, ok: true } as FetchResponse<unknown>);
          sub.complete();
        },
        (e: Error) => {
          if (ctrl.signal.aborted) return;
          // Grafana's data proxy answers 502 when it cannot reach the datasource's URL
          fail(502, 'Bad Gateway', { message: `Bad Gateway: ${e.message}` });
        },
      );
      return () => ctrl.abort();
    });
}
