// Loads a history into a real Prometheus (backfilled with promtool), for tests, the demo and benchmarks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrometheus, type PrometheusOptions, type RunningPrometheus } from '../testing/prometheus';
import { writeOpenMetricsFile } from './openMetrics';
import { createScenario, type ScenarioOptions } from './scenario';
import type { History } from './types';

export interface HistoryPrometheusOptions extends ScenarioOptions {
  /** a history to load instead of the scenario (e.g. a synthetic benchmark history) */
  history?: History;
  /** passed on to startPrometheus (targets, flags, ...) */
  prometheus?: Omit<PrometheusOptions, 'openMetrics' | 'openMetricsFile'>;
}

export interface HistoryPrometheus {
  prom: RunningPrometheus;
  history: History;
  /** bytes of OpenMetrics backfilled */
  bytes: number;
}

/** Starts a Prometheus holding the scenario (or `opts.history`); call `prom.stop()` when done. */
export async function startHistoryPrometheus(opts: HistoryPrometheusOptions = {}): Promise<HistoryPrometheus> {
  const history = opts.history ?? createScenario(opts);
  const dir = mkdtempSync(join(tmpdir(), 'timescope-history-'));
  try {
    const file = join(dir, 'history.om');
    const bytes = writeOpenMetricsFile(history, file);
    const prom = await startPrometheus({ ...opts.prometheus, openMetricsFile: file });
    return { prom, history, bytes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
