// vmalert evaluating provisioning's rules (edges, presence, alerts) against VictoriaMetrics records the same series as
// Prometheus evaluating them over the same samples (the presence rule in each store's rendering: closed range selectors
// for Prometheus 2.x, left-open for VictoriaMetrics): a window of the shared 24-hour scenario is loaded into both
// stores; Prometheus' records come from `promtool tsdb create-blocks-from rules` (chained rules in stages),
// vmalert's from its replay mode, with the flags docs/scale-out.md lists (vmalertFlags, victoriaMetricsFlags).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScenario, SCENARIO_OFFSETS, writeOpenMetricsFile, type History } from '@timescope/common/history';
import {
  replayVmalert,
  startPrometheus,
  startVictoriaMetrics,
  type RunningPrometheus,
  type RunningVictoriaMetrics,
} from '@timescope/common/testing';
import { coverageAsk, coverageOf } from '../../datasource-plugin/src/core/ruleCoverage';
import type { PromVectorSample } from '../../datasource-plugin/src/core/promClient';
import { recordingRuleStages } from './ruleStages';
import { rawSamples, sampleDiff, type SampleGrid } from './storeSamples';

jest.setTimeout(300_000);

const RULES = join(__dirname, '..', '..', 'provisioning', 'prometheus', 'rules');
const VM_PRESENCE = join(__dirname, '..', '..', 'provisioning', 'victoriametrics', 'rules', 'presence.yml');
const STEP = 15;
/** scrapes land 7 s into each evaluation interval, as they do live: never exactly on an evaluation instant */
const PHASE = 7;

/** The scenario's series clipped to [fromSec, toSec]: the cartsDeploy hour, small enough to replay quickly. */
function windowOf(h: History, fromSec: number, toSec: number): History {
  const series = h.series
    .map((s) => ({ ...s, fromSec: Math.max(s.fromSec, fromSec), toSec: Math.min(s.toSec, toSec + 1) }))
    .filter((s) => s.fromSec < s.toSec);
  return { ...h, startSec: fromSec, endSec: toSec, series };
}

describe('vmalert on VictoriaMetrics records what Prometheus records', () => {
  let prom: RunningPrometheus | undefined;
  let vm: RunningVictoriaMetrics | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'timescope-vmalert-rules-'));
  const hour = Math.floor(Date.now() / 1000 / 3600) * 3600;
  const full = createScenario({ endSec: hour - 3600 + PHASE, resolutionSec: STEP });
  const deploy = full.startSec + SCENARIO_OFFSETS.cartsDeploy;
  const h = windowOf(full, deploy - 35 * 60, deploy + 10 * 60);
  // evaluations on the step's multiples from 5 minutes in (the alerts' half-hour windows partly filled, as after a
  // restart); the presence rule from 2 minutes later, when the edges it watches have records before it
  const edgesFrom = h.startSec - PHASE + 5 * 60;
  const presenceFrom = edgesFrom + 2 * 60;
  const evalTo = h.endSec - PHASE;
  const grid: SampleGrid = { originSec: h.startSec, stepSec: STEP };

  beforeAll(async () => {
    const file = join(dir, 'history.om');
    writeOpenMetricsFile(h, file);
    const stage = (
      f: string,
      startSec: number,
    ): { rules: string; startSec: number; endSec: number; evalInterval: string }[] =>
      recordingRuleStages(readFileSync(join(RULES, f), 'utf8')).map((rules) => ({
        rules,
        startSec,
        endSec: evalTo + 1,
        evalInterval: `${STEP}s`,
      }));
    [prom, vm] = await Promise.all([
      startPrometheus({
        openMetricsFile: file,
        // a backfill has no staleness markers: a 15 s lookback ends a vanished series after its last sample, as
        // the markers of a live scrape would
        flags: [`--query.lookback-delta=${STEP}s`],
        recordingRules: [...stage('edges.yml', edgesFrom), ...stage('presence.yml', presenceFrom)],
      }),
      startVictoriaMetrics({ flags: ['-search.disableCache'] }),
    ]);
    await vm.importOpenMetricsFile(file);
    const replay = { datasourceUrl: vm.url, remoteWriteUrl: vm.url, evalInterval: `${STEP}s`, toSec: evalTo };
    await replayVmalert({
      ...replay,
      rules: [join(RULES, 'edges.yml'), join(RULES, 'alerts.yml')],
      fromSec: edgesFrom,
    });
    await vm.flush();
    await replayVmalert({ ...replay, rules: [VM_PRESENCE], fromSec: presenceFrom });
    await vm.flush();
  });
  afterAll(async () => {
    await prom?.stop();
    await vm?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const compare = async (selector: string, fromSec: number, g: SampleGrid = grid): Promise<void> => {
    if (!prom || !vm) throw new Error('stores not started');
    // the scrape intervals both rulers evaluated: the first and the last depend on Prometheus' group offset (a hash of
    // the group and its file's path) and on whether the range's end is included (vmalert's replay: yes; promtool: no)
    const first = Math.floor((fromSec - g.originSec) / g.stepSec) + 1;
    const last = Math.floor((evalTo - g.originSec) / g.stepSec) - 2;
    const inside = (m: Map<string, string[]>): Map<string, string[]> =>
      new Map(
        [...m]
          .map(([k, xs]): [string, string[]] => [
            k,
            xs.filter((x) => {
              const cell = Number(/^#(-?\d+)/.exec(x)?.[1]);
              return cell >= first && cell <= last;
            }),
          ])
          .filter(([, xs]) => xs.length > 0),
      );
    const p = inside(await rawSamples(prom, selector, fromSec - g.stepSec, evalTo + g.stepSec, g));
    const v = inside(await rawSamples(vm, selector, fromSec - g.stepSec, evalTo + g.stepSec, g));
    expect(p.size).toBeGreaterThan(0);
    expect(sampleDiff(p, v, ['Prometheus', 'vmalert'])).toEqual([]);
  };

  it('the edges rules', async () => {
    await compare('timescope_edge_connections{rule!=""}', edgesFrom);
  });

  it('the edges rules’ helper series', async () => {
    await compare(
      '{__name__=~"timescope:(host_address|listener|process_pod|pod_ip|cluster_ip|pod_workload|pod_service):.+"}',
      edgesFrom,
    );
  });

  it('the presence rule’s changes (exact instants of every appearance and disappearance)', async () => {
    await compare('timescope:presence_changes', presenceFrom);
  });

  it('the presence rule’s evaluations: one per interval, none missed', async () => {
    // the `lookback` label differs by design (the rendering's window); the cells of the evaluations do not
    await compare('timescope:presence_rule_evaluation_timestamp_seconds', presenceFrom, {
      ...grid,
      ignoreValues: true,
      ignoreLabels: ['lookback'],
    });
  });

  it('the datasource’s coverage check accepts the replayed rule on both stores', async () => {
    if (!prom || !vm) throw new Error('stores not started');
    // a range inside the replay: from a minute after its first evaluation to a minute before its end
    const grid = { fromMs: (presenceFrom + 60) * 1000, toMs: (evalTo - 60) * 1000, stepMs: 60_000 };
    for (const [store, bounds] of [
      [prom, 'closed'],
      [vm, 'left-open'],
    ] as const) {
      const ask = coverageAsk(grid, STEP * 1000, bounds);
      if (!ask) throw new Error('no coverage request for a 15 s scrape');
      const rows = await store.api<{ result: PromVectorSample[] }>('query', { query: ask.query, time: ask.atSec });
      const c = coverageOf(ask, rows.result);
      expect(c).toBeDefined();
      expect(c && c.firstEvalMs - c.delayMs).toBeLessThanOrEqual(grid.fromMs);
    }
  });
});
