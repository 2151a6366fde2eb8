// The health check behind "Save & test": says precisely what is wrong, which store answered (store.ts) and what in
// its configuration would make the time machine contradict itself.
import { PrometheusError, type PromClient } from './promClient';
import { detectStore, storeName, type StoreCapabilities, type StoreSetting } from './store';

export interface Health {
  status: 'success' | 'error';
  message: string;
}

/** What the store's configuration breaks, if anything (one sentence each). */
export function storeWarnings(s: StoreCapabilities): string[] {
  const out: string[] = [];
  if (s.kind === 'victoriametrics' && s.latencyOffsetMs !== undefined && s.latencyOffsetMs !== 0) {
    out.push(
      `VictoriaMetrics runs with -search.latencyOffset=${s.latencyOffsetMs / 1000}s: it hides the last ` +
        `${s.latencyOffsetMs / 1000} s of samples, so a live range contradicts itself; start it with -search.latencyOffset=0s.`,
    );
  }
  return out;
}

export async function checkHealth(
  client: PromClient,
  url: string,
  nowMs = Date.now(),
  setting: StoreSetting = 'auto',
): Promise<Health> {
  let rows;
  try {
    rows = await client.instant('count by (__name__) ({__name__=~"timescope_.+"})', nowMs / 1000);
  } catch (e) {
    if (!(e instanceof PrometheusError)) return { status: 'error', message: `Unexpected error: ${String(e)}` };
    switch (e.kind) {
      case 'unreachable':
        return {
          status: 'error',
          message: `Cannot reach Prometheus at ${url || '(no URL set)'}: ${e.message}. Check the URL and that Prometheus is running.`,
        };
      case 'auth':
        return {
          status: 'error',
          message: `${e.message}: authentication refused. Check the basic auth user and password or the bearer token.`,
        };
      case 'client':
        return {
          status: 'error',
          message: `${e.message}. Is ${url || 'the URL'} the base URL of a Prometheus server (without /api/v1)?`,
        };
      default:
        return { status: 'error', message: e.message };
    }
  }
  if (rows.length === 0) {
    return {
      status: 'error',
      message:
        'Connected to Prometheus, but no timescope_ series found in the last 5 minutes. Is the Timescope exporter running and scraped by this Prometheus?',
    };
  }
  const series = rows.reduce((n, r) => n + Number(r.value[1]), 0);
  const store = await detectStore(client, setting);
  const warnings = storeWarnings(store).map((w) => ` Warning: ${w}`);
  return {
    status: 'success',
    message: `Connected to ${storeName(store)}: ${rows.length} timescope_ metrics, ${series} series.${warnings.join('')}`,
  };
}
