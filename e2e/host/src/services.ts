// Grafana's runtime services as the plugins see them: getBackendSrv().fetch goes to the proxy server (which plays
// Grafana's data proxy), getTemplateSrv().replace knows the dashboard's variables (with Grafana's formats,
// interpolate.ts) and the range's built-in variables.
import { type ScopedVars, type TimeRange } from '@grafana/data';
import {
  setBackendSrv,
  setTemplateSrv,
  type BackendSrv,
  type BackendSrvRequest,
  type FetchResponse,
} from '@grafana/runtime';
import { Observable } from 'rxjs';
import { interpolate, type FormatFn, type HostVariable } from './interpolate';

export interface HostVariables {
  get(): Record<string, HostVariable>;
  range(): TimeRange;
}

function doFetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
  return new Observable<FetchResponse<T>>((sub) => {
    const ctrl = new AbortController();
    const params = options.params ? `?${new URLSearchParams(options.params as Record<string, string>)}` : '';
    const method = (options.method ?? 'GET').toUpperCase();
    let body: BodyInit | undefined;
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.data !== undefined && method !== 'GET') {
      if (typeof options.data === 'string' || options.data instanceof URLSearchParams) body = options.data;
      else {
        body = JSON.stringify(options.data);
        headers['Content-Type'] ??= 'application/json';
      }
    }
    fetch(`${options.url}${params}`, { method, body, headers, signal: ctrl.signal })
      .then(async (r) => {
        const text = await r.text();
        let data: unknown = text;
        try {
          data = JSON.parse(text);
        } catch {
          /* not JSON: keep the text */
        }
        const res = {
          data: data as T,
          status: r.status,
          statusText: r.statusText,
          ok: r.ok,
          headers: r.headers,
          redirected: r.redirected,
          type: r.type,
          url: r.url,
          config: options,
        } as FetchResponse<T>;
        if (r.ok) {
          sub.next(res);
          sub.complete();
        } else {
          sub.error({ ...res, message: `HTTP ${r.status}`, data });
        }
      })
      .catch((e: Error) => sub.error({ status: 0, message: e.message, data: { message: e.message } }));
    return () => ctrl.abort();
  });
}

function promise<T>(options: BackendSrvRequest): Promise<T> {
  return new Promise<T>((resolve, reject) =>
    doFetch<T>(options).subscribe({ next: (r) => resolve(r.data), error: reject }),
  );
}

export function installServices(vars: HostVariables): void {
  const backend = {
    fetch: doFetch,
    request: promise,
    datasourceRequest: (o: BackendSrvRequest) =>
      new Promise((resolve, reject) => doFetch(o).subscribe({ next: resolve, error: reject })),
    get: (url: string, params?: Record<string, string>) => promise({ url, params, method: 'GET' }),
    post: (url: string, data?: unknown) => promise({ url, data, method: 'POST' }),
    put: (url: string, data?: unknown) => promise({ url, data, method: 'PUT' }),
    patch: (url: string, data?: unknown) => promise({ url, data, method: 'PATCH' }),
    delete: (url: string) => promise({ url, method: 'DELETE' }),
    resolveCancelerIfExists: () => undefined,
  } as unknown as BackendSrv;
  setBackendSrv(backend);

  const replace = (target?: string, scopedVars?: ScopedVars, format?: string | FormatFn): string => {
    if (!target) return '';
    const r = vars.range();
    const rangeS = Math.max(1, Math.round((r.to.valueOf() - r.from.valueOf()) / 1000));
    const one = (v: string): HostVariable => ({ values: [v] });
    const builtin: Record<string, HostVariable> = {
      __range: one(`${rangeS}s`),
      __range_s: one(String(rangeS)),
      __range_ms: one(String(rangeS * 1000)),
      __from: one(String(r.from.valueOf())),
      __to: one(String(r.to.valueOf())),
    };
    return interpolate(target, { ...builtin, ...vars.get() }, scopedVars, format);
  };
  setTemplateSrv({
    getVariables: () =>
      Object.entries(vars.get()).map(([name, v]) => ({
        name,
        type: 'custom',
        multi: !!v.multi,
        includeAll: !!v.options,
        current: { value: v.values, text: v.values },
        options: (v.options ?? v.values).map((o) => ({ value: o, text: o, selected: v.values.includes(o) })),
      })),
    replace,
    containsTemplate: (t?: string) => !!t && /\$\w+|\$\{\w+/.test(t),
    updateTimeRange: () => undefined,
  } as unknown as Parameters<typeof setTemplateSrv>[0]);
}
