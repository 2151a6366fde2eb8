// One range read of the topology as the datasource does it, timed and counted: the store detected first (its window
// and its presence rule's rendering follow from it), then wall time, requests and bytes of the read alone.
import { fetchPromClient } from '../datasource-plugin/src/core/promClient';
import type { View } from '../datasource-plugin/src/core/query';
import { runTopology, type TargetResult } from '../datasource-plugin/src/core/run';
import { chooseStep } from '../datasource-plugin/src/core/step';
import { detectStore } from '../datasource-plugin/src/core/store';

export interface RangeRead {
  wallMs: number;
  requests: number;
  bytes: number;
  result: TargetResult;
}

export async function timedRangeRead(
  url: string,
  r: { view: View; fromMs: number; toMs: number; scrapeIntervalMs: number; usePresenceRule: boolean },
): Promise<RangeRead> {
  const client = fetchPromClient({ url, timeoutMs: 300_000 });
  const store = await detectStore(client);
  const before = { requests: client.requests ?? 0, bytes: client.bytesReceived ?? 0 };
  const stepMs = chooseStep({
    fromMs: r.fromMs,
    toMs: r.toMs,
    scrapeIntervalMs: r.scrapeIntervalMs,
    maxDataPoints: 1000,
  });
  const t0 = performance.now();
  const result = await runTopology(
    client,
    { ...r, mode: 'range', filters: {}, groupBy: 'none', edgeSource: 'timescope', stepMs },
    'A',
    [],
    undefined,
    store,
  );
  return {
    wallMs: performance.now() - t0,
    requests: (client.requests ?? 0) - before.requests,
    bytes: (client.bytesReceived ?? 0) - before.bytes,
    result,
  };
}
