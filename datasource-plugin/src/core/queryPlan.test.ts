// The requests of each view and mode, printed from the plan before anything is sent: what docs/time-travel.md
// says ("Requests per query") is checked here, against its table.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EdgeSource, Mode, View } from './query';
import { PENDING, describePlan, planQuery, queryContext, type QueryPlan, type TopologyRequest } from './queryPlan';
import type { RuleCoverage } from './ruleCoverage';
import { storeOf, type StoreCapabilities } from './store';

const S = 1_000_000; // seconds
const req = (over: Partial<TopologyRequest>): TopologyRequest => ({
  view: 'service',
  mode: 'range',
  filters: {},
  groupBy: 'none',
  edgeSource: 'timescope',
  fromMs: S * 1000,
  toMs: (S + 3600) * 1000,
  stepMs: 60_000,
  scrapeIntervalMs: 15_000,
  ...over,
});
/** the rule evaluated every 15 s from an hour before the range to an hour after it */
const covered: RuleCoverage = {
  firstEvalMs: (S - 3600) * 1000,
  lastEvalMs: (S + 7200) * 1000,
  intervalMs: 15_000,
  delayMs: 15_000,
};
/** a live range: the rule's last evaluation `behindSec` before the range's end */
const live = (behindSec: number): RuleCoverage => ({ ...covered, lastEvalMs: (S + 3600 - behindSec) * 1000 });
const plan = (
  over: Partial<TopologyRequest>,
  c: RuleCoverage | undefined | typeof PENDING,
  store?: StoreCapabilities,
): QueryPlan => planQuery(queryContext(req(over), store), c);
const lines = (over: Partial<TopologyRequest>, c: RuleCoverage | undefined | typeof PENDING): string[] =>
  describePlan(plan(over, c));

describe('plan of the service, pod and workload views', () => {
  it.each(['service', 'pod', 'workload'] as const)(
    '%s view, without the presence rule (usePresenceRule: false)',
    (view) => {
      expect(lines({ view, usePresenceRule: false }, undefined)).toEqual([
        'nodes.states instant',
        'nodes.transitions range',
        'nodes.labels instant',
        'edges.states instant',
        'edges.transitions range',
      ]);
    },
  );
  it.each(['service', 'pod', 'workload'] as const)(
    '%s view, with the presence rule, over a range it does not cover',
    (view) => {
      expect(lines({ view }, undefined)).toEqual([
        'coverage instant',
        'nodes.states.from instant',
        'nodes.states instant',
        'nodes.transitions range',
        'nodes.labels instant',
        'edges.states.from instant',
        'edges.states instant',
        'edges.transitions range',
      ]);
    },
  );
  it.each(['service', 'pod', 'workload'] as const)('%s view, with the presence rule covering the range', (view) => {
    expect(lines({ view }, covered)).toEqual([
      'coverage instant',
      'nodes.states.from instant',
      'nodes.states instant',
      'nodes.changes samples',
      'nodes.labels instant',
      'edges.states.from instant',
      'edges.states instant',
      'edges.changes samples',
    ]);
  });
  it.each(['service', 'pod', 'workload'] as const)(
    '%s view, live range: 2 grid instants after the last evaluation of the rule',
    (view) => {
      expect(lines({ view }, live(90))).toEqual([
        'coverage instant',
        'nodes.states.from instant',
        'nodes.states instant',
        'nodes.changes samples',
        'nodes.labels instant',
        'nodes.tail instant',
        'edges.states.from instant',
        'edges.states instant',
        'edges.changes samples',
        'edges.tail instant',
      ]);
    },
  );
  it.each(['service', 'pod', 'workload'] as const)(
    '%s view, live range: 10 grid instants after the last evaluation of the rule',
    (view) => {
      expect(lines({ view }, live(600))).toEqual([
        'coverage instant',
        'nodes.states.from instant',
        'nodes.states instant',
        'nodes.transitions range',
        'nodes.changes samples',
        'nodes.labels instant',
        'edges.states.from instant',
        'edges.states instant',
        'edges.transitions range',
        'edges.changes samples',
      ]);
    },
  );
  it.each(['service', 'pod', 'workload'] as const)(
    '%s view, before the coverage is answered (sent at once)',
    (view) => {
      expect(lines({ view }, PENDING)).toEqual([
        'coverage instant',
        'nodes.states.from instant',
        'nodes.states instant',
        'edges.states.from instant',
        'edges.states instant',
      ]);
    },
  );
});

describe('plan of the process view', () => {
  it.each(['process'] as const)('%s view, without the presence rule (usePresenceRule: false)', (view) => {
    expect(lines({ view, usePresenceRule: false }, undefined)).toEqual([
      'nodes.states instant',
      'nodes.transitions range',
      'nodes.labels instant',
      'local.states instant',
      'local.transitions range',
      'remote.states instant',
      'remote.transitions range',
      'endpoints instant',
    ]);
  });
  it.each(['process'] as const)('%s view, with the presence rule, over a range it does not cover', (view) => {
    expect(lines({ view }, undefined)).toEqual([
      'coverage instant',
      'nodes.states.from instant',
      'nodes.states instant',
      'nodes.transitions range',
      'nodes.labels instant',
      'local.states.from instant',
      'local.states instant',
      'local.transitions range',
      'remote.states.from instant',
      'remote.states instant',
      'remote.transitions range',
      'endpoints instant',
    ]);
  });
  it.each(['process'] as const)('%s view, with the presence rule covering the range', (view) => {
    expect(lines({ view }, covered)).toEqual([
      'coverage instant',
      'nodes.states.from instant',
      'nodes.states instant',
      'nodes.changes samples',
      'nodes.labels instant',
      'local.states.from instant',
      'local.states instant',
      'local.changes samples',
      'remote.states.from instant',
      'remote.states instant',
      'remote.changes samples',
      'endpoints instant',
    ]);
  });
  it.each(['process'] as const)(
    '%s view, live range: 2 grid instants after the last evaluation of the rule',
    (view) => {
      expect(lines({ view }, live(90))).toEqual([
        'coverage instant',
        'nodes.states.from instant',
        'nodes.states instant',
        'nodes.changes samples',
        'nodes.labels instant',
        'nodes.tail instant',
        'local.states.from instant',
        'local.states instant',
        'local.changes samples',
        'local.tail instant',
        'remote.states.from instant',
        'remote.states instant',
        'remote.changes samples',
        'remote.tail instant',
        'endpoints instant',
      ]);
    },
  );
  it.each(['process'] as const)(
    '%s view, live range: 10 grid instants after the last evaluation of the rule',
    (view) => {
      expect(lines({ view }, live(600))).toEqual([
        'coverage instant',
        'nodes.states.from instant',
        'nodes.states instant',
        'nodes.transitions range',
        'nodes.changes samples',
        'nodes.labels instant',
        'local.states.from instant',
        'local.states instant',
        'local.transitions range',
        'local.changes samples',
        'remote.states.from instant',
        'remote.states instant',
        'remote.transitions range',
        'remote.changes samples',
        'endpoints instant',
      ]);
    },
  );
  it.each(['process'] as const)('%s view, before the coverage is answered (sent at once)', (view) => {
    expect(lines({ view }, PENDING)).toEqual([
      'coverage instant',
      'nodes.states.from instant',
      'nodes.states instant',
      'local.states.from instant',
      'local.states instant',
      'remote.states.from instant',
      'remote.states instant',
      'endpoints instant',
    ]);
  });
});

describe('plan of the host view', () => {
  it.each(['host'] as const)('%s view, without the presence rule (usePresenceRule: false)', (view) => {
    expect(lines({ view, usePresenceRule: false }, undefined)).toEqual([
      'nodes.states instant',
      'nodes.transitions range',
      'nodes.labels instant',
      'local.states instant',
      'local.transitions range',
      'remote.states instant',
      'remote.transitions range',
      'parents.states instant',
      'parents.transitions range',
      'endpoints instant',
    ]);
  });
  it.each(['host'] as const)('%s view, with the presence rule, over a range it does not cover', (view) => {
    expect(lines({ view }, undefined)).toEqual([
      'coverage instant',
      'nodes.states.from instant',
      'nodes.states instant',
      'nodes.transitions range',
      'nodes.labels instant',
      'local.states.from instant',
      'local.states instant',
      'local.transitions range',
      'remote.states.from instant',
      'remote.states instant',
      'remote.transitions range',
      'parents.states.from instant',
      'parents.states instant',
      'parents.transitions range',
      'endpoints instant',
    ]);
  });
  it.each(['host'] as const)('%s view, with the presence rule covering the range', (view) => {
    expect(lines({ view }, covered)).toEqual([
      'coverage instant',
      'nodes.states.from instant',
      'nodes.states instant',
      'nodes.changes samples',
      'nodes.labels instant',
      'local.states.from instant',
      'local.states instant',
      'local.changes samples',
      'remote.states.from instant',
      'remote.states instant',
      'remote.changes samples',
      'parents.states.from instant',
      'parents.states instant',
      'parents.changes samples',
      'endpoints instant',
    ]);
  });
  it.each(['host'] as const)('%s view, live range: 2 grid instants after the last evaluation of the rule', (view) => {
    expect(lines({ view }, live(90))).toEqual([
      'coverage instant',
      'nodes.states.from instant',
      'nodes.states instant',
      'nodes.changes samples',
      'nodes.labels instant',
      'nodes.tail instant',
      'local.states.from instant',
      'local.states instant',
      'local.changes samples',
      'local.tail instant',
      'remote.states.from instant',
      'remote.states instant',
      'remote.changes samples',
      'remote.tail instant',
      'parents.states.from instant',
      'parents.states instant',
      'parents.changes samples',
      'parents.tail instant',
      'endpoints instant',
    ]);
  });
  it.each(['host'] as const)('%s view, live range: 10 grid instants after the last evaluation of the rule', (view) => {
    expect(lines({ view }, live(600))).toEqual([
      'coverage instant',
      'nodes.states.from instant',
      'nodes.states instant',
      'nodes.transitions range',
      'nodes.changes samples',
      'nodes.labels instant',
      'local.states.from instant',
      'local.states instant',
      'local.transitions range',
      'local.changes samples',
      'remote.states.from instant',
      'remote.states instant',
      'remote.transitions range',
      'remote.changes samples',
      'parents.states.from instant',
      'parents.states instant',
      'parents.transitions range',
      'parents.changes samples',
      'endpoints instant',
    ]);
  });
  it.each(['host'] as const)('%s view, before the coverage is answered (sent at once)', (view) => {
    expect(lines({ view }, PENDING)).toEqual([
      'coverage instant',
      'nodes.states.from instant',
      'nodes.states instant',
      'local.states.from instant',
      'local.states instant',
      'remote.states.from instant',
      'remote.states instant',
      'parents.states.from instant',
      'parents.states instant',
      'endpoints instant',
    ]);
  });
});

describe('plan of the container view', () => {
  it.each(['container'] as const)('%s view, without the presence rule (usePresenceRule: false)', (view) => {
    expect(lines({ view, usePresenceRule: false }, undefined)).toEqual([
      'nodes.states instant',
      'nodes.transitions range',
      'nodes.labels instant',
      'local.states instant',
      'local.transitions range',
      'remote.states instant',
      'remote.transitions range',
      'parents.states instant',
      'parents.transitions range',
      'endpoints instant',
      'docker instant',
    ]);
  });
  it.each(['container'] as const)('%s view, with the presence rule, over a range it does not cover', (view) => {
    expect(lines({ view }, undefined)).toEqual([
      'coverage instant',
      'nodes.states.from instant',
      'nodes.states instant',
      'nodes.transitions range',
      'nodes.labels instant',
      'local.states.from instant',
      'local.states instant',
      'local.transitions range',
      'remote.states.from instant',
      'remote.states instant',
      'remote.transitions range',
      'parents.states.from instant',
      'parents.states instant',
      'parents.transitions range',
      'endpoints instant',
      'docker instant',
    ]);
  });
  it.each(['container'] as const)('%s view, with the presence rule covering the range', (view) => {
    expect(lines({ view }, covered)).toEqual([
      'coverage instant',
      'nodes.states.from instant',
      'nodes.states instant',
      'nodes.changes samples',
      'nodes.labels instant',
      'local.states.from instant',
      'local.states instant',
      'local.changes samples',
      'remote.states.from instant',
      'remote.states instant',
      'remote.changes samples',
      'parents.states.from instant',
      'parents.states instant',
      'parents.changes samples',
      'endpoints instant',
      'docker instant',
    ]);
  });
  it.each(['container'] as const)(
    '%s view, live range: 2 grid instants after the last evaluation of the rule',
    (view) => {
      expect(lines({ view }, live(90))).toEqual([
        'coverage instant',
        'nodes.states.from instant',
        'nodes.states instant',
        'nodes.changes samples',
        'nodes.labels instant',
        'nodes.tail instant',
        'local.states.from instant',
        'local.states instant',
        'local.changes samples',
        'local.tail instant',
        'remote.states.from instant',
        'remote.states instant',
        'remote.changes samples',
        'remote.tail instant',
        'parents.states.from instant',
        'parents.states instant',
        'parents.changes samples',
        'parents.tail instant',
        'endpoints instant',
        'docker instant',
      ]);
    },
  );
  it.each(['container'] as const)(
    '%s view, live range: 10 grid instants after the last evaluation of the rule',
    (view) => {
      expect(lines({ view }, live(600))).toEqual([
        'coverage instant',
        'nodes.states.from instant',
        'nodes.states instant',
        'nodes.transitions range',
        'nodes.changes samples',
        'nodes.labels instant',
        'local.states.from instant',
        'local.states instant',
        'local.transitions range',
        'local.changes samples',
        'remote.states.from instant',
        'remote.states instant',
        'remote.transitions range',
        'remote.changes samples',
        'parents.states.from instant',
        'parents.states instant',
        'parents.transitions range',
        'parents.changes samples',
        'endpoints instant',
        'docker instant',
      ]);
    },
  );
  it.each(['container'] as const)('%s view, before the coverage is answered (sent at once)', (view) => {
    expect(lines({ view }, PENDING)).toEqual([
      'coverage instant',
      'nodes.states.from instant',
      'nodes.states instant',
      'local.states.from instant',
      'local.states instant',
      'remote.states.from instant',
      'remote.states instant',
      'parents.states.from instant',
      'parents.states instant',
      'endpoints instant',
      'docker instant',
    ]);
  });
});
describe('plan of the other edge sources', () => {
  it.each(['caretta', 'beyla', 'obi', 'hubble', 'retina'] as const)(
    '%s: the edges only, from the raw series',
    (edgeSource: EdgeSource) => {
      const expected = ['edges.states instant', 'edges.transitions range'];
      expect(lines({ edgeSource }, covered)).toEqual(expected);
      expect(lines({ edgeSource }, PENDING)).toEqual(expected);
    },
  );

  const figures = (source: EdgeSource): string[] =>
    ['rate', 'failed', 'p95'].map((part) => `${source}.figures.${part} range`);

  it.each(['tempo', 'hubble-http', 'istio'] as const)(
    '%s: the edges and three range queries of L7 figures (rate, failed rate, p95)',
    (edgeSource) => {
      const expected = ['edges.states instant', 'edges.transitions range', ...figures(edgeSource)];
      expect(lines({ edgeSource }, covered)).toEqual(expected);
    },
  );

  it("on a grid no coarser than the lookback, a counter's transitions are worked out from its raw samples", () => {
    const fine = { stepMs: 15_000 };
    // presence only (group): the states at the named instants from the samples too; Istio's sum is asked
    // the request rate is worked out from the same samples (adapters/sampleRates.ts): no rate query
    expect(lines({ ...fine, edgeSource: 'tempo' }, undefined)).toEqual([
      'edges.samples samples',
      'edges.samples.also samples',
      'tempo.figures.failed range',
      'tempo.figures.p95 range',
    ]);
    expect(lines({ ...fine, edgeSource: 'beyla' }, undefined)).toEqual(['edges.samples samples']);
    expect(lines({ ...fine, edgeSource: 'istio' }, undefined)).toEqual([
      'edges.states instant',
      'edges.samples samples',
      ...figures('istio'),
    ]);
    const p = plan({ ...fine, edgeSource: 'tempo' }, undefined);
    expect(p.families[0].samples?.states?.map((i) => i.name)).toEqual(['from', 'at']);
    // an instant outside the range is asked
    expect(lines({ ...fine, edgeSource: 'beyla', instantMs: (S + 7200) * 1000 }, undefined)[0]).toBe(
      'edges.states instant',
    );
    const asked = p.requests;
    // the range and one increase window (two lookbacks) before it, or the figures' first window where it starts
    // earlier (the first 60 s figure step ends on the range's start); the gauge's lookback
    expect(asked.find((r) => r.id === 'edges.samples')?.request).toEqual({
      kind: 'samples',
      query: 'traces_service_graph_request_total[3659999ms]',
      timeSec: S + 3600,
    });
    expect(asked.find((r) => r.id === 'edges.samples.also')?.request).toEqual({
      kind: 'samples',
      query: 'traces_service_graph_connection_info[3629999ms]',
      timeSec: S + 3600,
    });
    // gauges keep the range query; so does VictoriaMetrics (its increase_prometheus is not modelled)
    expect(lines({ ...fine, edgeSource: 'caretta' }, undefined)).toEqual([
      'edges.states instant',
      'edges.transitions range',
    ]);
    const vm = describePlan(plan({ ...fine, edgeSource: 'beyla' }, undefined, storeOf('victoriametrics')));
    expect(vm).toEqual(['edges.states instant', 'edges.transitions range']);
  });

  it("asks L7 figures on a grid of their own: at least 4 scrape intervals a step, at most 200 steps, ending at the range's end", () => {
    const figureRequest = (over: Partial<TopologyRequest>) =>
      plan({ edgeSource: 'tempo', ...over }, undefined).requests.find((r) => r.id === 'tempo.figures.failed')?.request;
    // the query's step where it is coarse enough
    expect(figureRequest({})).toMatchObject({ startSec: S, endSec: S + 3600, stepSec: 60 });
    expect(figureRequest({})).toHaveProperty('query', 'rate(traces_service_graph_request_failed_total[59999ms]) > 0');
    // a 15 s step: 60 s figures, each over its own step
    expect(figureRequest({ stepMs: 15_000 })).toMatchObject({ startSec: S, stepSec: 60 });
    // 6 hours at a 22 s step of a 120 s scrape: 480 s figures
    const six = { fromMs: (S + 3600 - 6 * 3600) * 1000, stepMs: 22_000, scrapeIntervalMs: 120_000 };
    expect(figureRequest(six)).toMatchObject({ startSec: S + 3600 - 45 * 480, endSec: S + 3600, stepSec: 480 });
    // a day at 87 s: at most 200 values (435 s), back to the first at or before the start
    const day = { fromMs: (S + 3600 - 86_400) * 1000, stepMs: 87_000 };
    expect(figureRequest(day)).toMatchObject({ startSec: S + 3600 - 199 * 435, endSec: S + 3600, stepSec: 435 });
  });

  it('coroot: the edges and the pods IPs they resolve to', () => {
    expect(lines({ edgeSource: 'coroot' }, covered)).toEqual([
      'edges.states instant',
      'edges.transitions range',
      'addresses.states instant',
      'addresses.transitions range',
    ]);
  });

  it('several sources: each family prefixed by its source, figures once per L7 source', () => {
    expect(lines({ view: 'service', edgeSources: ['timescope', 'tempo'] }, covered)).toEqual([
      'coverage instant',
      'nodes.states.from instant',
      'nodes.states instant',
      'nodes.changes samples',
      'nodes.labels instant',
      'timescope.edges.states.from instant',
      'timescope.edges.states instant',
      'timescope.edges.changes samples',
      'tempo.edges.states instant',
      'tempo.edges.transitions range',
      ...figures('tempo'),
    ]);
  });
});

describe('plan across modes', () => {
  const views: View[] = ['service', 'pod', 'workload', 'process', 'host', 'container'];
  const modes: Mode[] = ['instant', 'range', 'diff'];

  it('asks the same requests in every mode; instant mode takes the labels at the instant shown', () => {
    for (const view of views) {
      const base = lines({ view }, covered);
      for (const mode of modes) expect(lines({ view, mode, instantMs: (S + 1800) * 1000 }, covered)).toEqual(base);
    }
    const labels = (mode: Mode): string => {
      const r = plan({ mode, instantMs: (S + 1800) * 1000 }, covered).requests.find((x) => x.id === 'nodes.labels');
      return r?.request.query ?? '';
    };
    expect(labels('instant')).toContain(`@ ${S + 1800}.000`);
    expect(labels('range')).toContain(`@ ${S + 3600}.000`);
    expect(labels('diff')).toContain(`@ ${S + 3600}.000`);
  });

  it('sends first exactly the requests that do not depend on the coverage, unchanged once it is known', () => {
    for (const view of views) {
      const first = plan({ view }, PENDING);
      expect(first.complete).toBe(false);
      for (const c of [undefined, covered, live(90), live(600)]) {
        const full = plan({ view }, c);
        expect(full.complete).toBe(true);
        for (const r of first.requests) expect(full.requests).toContainEqual(r);
      }
    }
  });

  it('asks the range of a live range after the rule as transitions from the first instant not covered', () => {
    // the last evaluation (S + 3000) describes S + 2985: the grid instant S + 3000 is the first it does not
    const r = plan({}, live(600)).requests.find((x) => x.id === 'edges.transitions')?.request;
    expect(r).toMatchObject({ kind: 'range', startSec: S + 3000, endSec: S + 3600, stepSec: 60 });
  });
});

describe('grid cells (a step coarser than two scrapes)', () => {
  const query = (p: QueryPlan, id: string): string => p.requests.find((r) => r.id === id)?.request.query ?? '';

  it('a 30 s step is the instant itself: no cells asked', () => {
    const p = plan({ stepMs: 30_000, usePresenceRule: false }, undefined);
    expect(query(p, 'nodes.transitions')).toContain('[29999ms]');
    expect(query(p, 'nodes.states')).not.toContain('cell.');
  });

  it('a 600 s step reads a sample in the step, and a gauge positive at the cell`s first instant or after it', () => {
    const p = plan({ stepMs: 600_000, usePresenceRule: false }, undefined);
    expect(query(p, 'nodes.transitions')).toContain('last_over_time(timescope_service_info[599999ms])');
    expect(query(p, 'edges.transitions')).toContain('[29999ms] offset 570000ms) > 0) or (max_over_time(');
    expect(query(p, 'edges.transitions')).toContain('[569999ms]) > 0)');
    // the cell after the start, asked with the states (no request more); the end is on the grid
    expect(query(p, 'nodes.states')).toContain(`[599999ms] @ ${S + 600}.000)), "timescope_at", "cell.first"`);
    expect(query(p, 'nodes.states')).not.toContain('cell.end');
    expect(describePlan(p)).toEqual(lines({ usePresenceRule: false }, undefined));
  });

  it('an end off the grid has its own cell, from the last grid instant on', () => {
    const p = plan({ stepMs: 600_000, toMs: (S + 3900) * 1000, usePresenceRule: false }, undefined);
    expect(query(p, 'nodes.states')).toContain(`[299999ms] @ ${S + 3900}.000)), "timescope_at", "cell.end"`);
  });

  it('on a left-open store, the windows are the cells` own widths', () => {
    const p = plan({ stepMs: 600_000, usePresenceRule: false }, undefined, storeOf('victoriametrics'));
    expect(query(p, 'nodes.transitions')).toContain('[600000ms]');
    expect(query(p, 'edges.transitions')).toContain('[30000ms] offset 570000ms) > 0) or (max_over_time(');
    expect(query(p, 'edges.transitions')).toContain('[570000ms]) > 0)');
  });

  it('the rule path moves disappearances step - 2 scrapes later', () => {
    const p = plan({ stepMs: 600_000 }, covered);
    expect(p.families.find((f) => f.id === 'edges')?.changes?.cellShiftMs).toBe(570_000);
    expect(plan({}, covered).families.find((f) => f.id === 'edges')?.changes?.cellShiftMs).toBe(30_000);
    expect(plan({ stepMs: 15_000 }, covered).families.find((f) => f.id === 'edges')?.changes?.cellShiftMs).toBe(
      undefined,
    );
  });
});

describe("the store's capabilities", () => {
  it('a left-open store (VictoriaMetrics, Prometheus 3) takes a lookback of 2 scrapes', () => {
    for (const kind of ['prometheus-3', 'victoriametrics'] as const) {
      const open = plan({ usePresenceRule: false }, undefined, storeOf(kind));
      expect(describePlan(open)).toEqual(lines({ usePresenceRule: false }, undefined));
      expect(open.requests[0].request.query).toContain('[30000ms] @');
    }
    expect(plan({ usePresenceRule: false }, undefined).requests[0].request.query).toContain('[29999ms] @');
  });

  it("reads a presence rule rendered for the store's lookback only", () => {
    const ask = (store?: StoreCapabilities): string => plan({}, PENDING, store).requests[0].request.query;
    expect(ask()).toContain('lookback=~"29999ms|"');
    expect(ask(storeOf('victoriametrics'))).toContain('lookback="30000ms"');
    expect(describePlan(plan({}, covered, storeOf('prometheus-3')))).toEqual(describePlan(plan({}, covered)));
  });

  it("counts counters' increase with increase_prometheus() on VictoriaMetrics", () => {
    const q = (store?: StoreCapabilities): string =>
      plan({ edgeSource: 'tempo' }, undefined, store)
        .requests.map((r) => r.request.query)
        .join('\n');
    expect(q(storeOf('victoriametrics'))).toContain('increase_prometheus(');
    expect(q()).not.toContain('increase_prometheus(');
    expect(q()).toContain('(increase(');
  });
});

describe('docs/time-travel.md, "Requests per query"', () => {
  const doc = readFileSync(join(__dirname, '../../../docs/time-travel.md'), 'utf8');
  const table = new Map<string, number>();
  for (const m of doc.matchAll(/^\| ([^|]+?) +\| (\d+) +\|$/gm)) table.set(m[1], Number(m[2]));
  const count = (over: Partial<TopologyRequest>): number[] =>
    [undefined, covered].map((c) => plan(over, c).requests.length);

  it('states the number of requests of each view, with the rule covering the range or not', () => {
    for (const view of ['pod', 'workload', 'service'] as const) {
      expect(count({ view })).toEqual(Array(2).fill(table.get('pod, workload or service view')));
    }
    expect(count({ view: 'process' })).toEqual(Array(2).fill(table.get('process view')));
    expect(count({ view: 'host' })).toEqual(Array(2).fill(table.get('host view')));
    expect(count({ view: 'container' })).toEqual(Array(2).fill(table.get('container view (Docker names: one more)')));
    for (const edgeSource of ['caretta', 'beyla', 'obi', 'hubble', 'retina'] as const) {
      expect(count({ edgeSource })).toEqual(Array(2).fill(table.get('Caretta, Beyla, OBI, Hubble or Retina edges')));
    }
    for (const edgeSource of ['tempo', 'hubble-http', 'istio'] as const) {
      expect(count({ edgeSource })).toEqual(
        Array(2).fill(table.get('Tempo/servicegraph, Hubble HTTP or Istio edges (L7 figures)')),
      );
    }
    expect(count({ edgeSource: 'coroot' })).toEqual(Array(2).fill(table.get('Coroot edges (with the pods IPs)')));
  });

  it('a live range adds one request per family', () => {
    for (const view of ['service', 'process', 'host', 'container'] as const) {
      const p = plan({ view }, live(90));
      expect(p.requests.length).toBe(plan({ view }, covered).requests.length + p.families.length);
    }
  });
});
