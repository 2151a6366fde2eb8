import { PRESENCE_CHANGES } from '@timescope/common';
import { baseCounts, changesToTransitions, tailTransitions } from './presenceChanges';
import { changesQuery, coverageQuery, seriesFamily, type Family } from './queryBuilder';
import { changesPlan, tailInstants, type RuleCoverage } from './ruleCoverage';
import type { Grid } from './timeline';

const S = 1_000_000; // seconds
const grid: Grid = { fromMs: S * 1000, toMs: (S + 600) * 1000, stepMs: 60_000 };
const edges = seriesFamily(['timescope_edge_connections'], [{ label: 'kind', op: '=', value: 'service' }], {
  by: ['source', 'target'],
  presence: 'positive',
  value: 'sum',
});
/** evaluations every 15 s from well before the grid to well after it */
const rule: RuleCoverage = {
  firstEvalMs: (S - 3600) * 1000,
  lastEvalMs: (S + 3600) * 1000,
  intervalMs: 15_000,
  delayMs: 15_000,
};
const keyOf = (l: Record<string, string>): string => `${l.source}>${l.target}`;

describe('changesPlan', () => {
  it('reads the rule for a family of recorded series when it ran over the whole grid', () => {
    expect(changesPlan(edges, rule, grid)).toEqual({
      evalFromMs: (S + 15) * 1000, // the evaluation describing the start itself
      evalToMs: (S + 600 + 30) * 1000,
      coveredToMs: (S + 600) * 1000,
      delayMs: 15_000,
      intervalMs: 15_000,
    });
  });

  it('is not used when the rule started after the grid, or for series it does not record', () => {
    expect(changesPlan(edges, { ...rule, firstEvalMs: (S + 60) * 1000 }, grid)).toBeUndefined();
    expect(changesPlan(edges, undefined, grid)).toBeUndefined();
    const tempo: Family = seriesFamily(['traces_service_graph_request_total'], [], {
      by: ['client', 'server'],
      presence: 'increase',
      value: 'sum',
    });
    expect(changesPlan(tempo, rule, grid)).toBeUndefined();
    const custom = seriesFamily(['my_edges'], [], { by: ['source', 'target'], presence: 'positive', value: 'sum' });
    expect(changesPlan(custom, rule, grid)).toBeUndefined();
  });

  it('stops at the last evaluation of a live range; the instants after it are the tail', () => {
    const live = { ...rule, lastEvalMs: (S + 500) * 1000 };
    const plan = changesPlan(edges, live, grid);
    expect(plan?.coveredToMs).toBe((S + 485) * 1000);
    expect(tailInstants(grid, plan!)).toEqual([(S + 540) * 1000, (S + 600) * 1000]);
  });
});

describe('changesQuery', () => {
  it('selects the family through the metric label and its own matchers, over the plan evaluations', () => {
    const plan = changesPlan(edges, rule, grid)!;
    const q = changesQuery(edges, plan);
    expect(q.query).toBe(
      `${PRESENCE_CHANGES}{timescope_metric=~"timescope_edge_connections", kind="service"}[614999ms]`,
    );
    expect(q.atSec).toBe(S + 630);
  });

  it('asks for the evaluations with the scrape interval of the datasource', () => {
    expect(coverageQuery(15_000, 3_600_000)).toContain('{interval="15s", lookback=~"29999ms|"}[3600000ms]');
  });
});

describe('changesToTransitions', () => {
  const plan = changesPlan(edges, rule, grid)!;
  const series = (labels: Record<string, string>, ...changes: [evalSec: number, value: number][]) => ({
    metric: labels,
    values: changes.map(([t, v]): [number, string] => [t, String(v)]),
  });
  const a = { source: 'a', target: 'b', port: '80' };
  const a2 = { source: 'a', target: 'b', port: '81' };
  const c = { source: 'c', target: 'd', port: '80' };

  it('skips a NaN change (a staleness marker read back) instead of looping on it', () => {
    // vmalert on VictoriaMetrics recorded NaN beside real changes when remote_write lagged behind the rule
    const got = changesToTransitions(
      grid,
      plan,
      keyOf,
      baseCounts([], keyOf, new Set()),
      [series(c, [S + 120, S + 100], [S + 135, Number.NaN], [S + 315, -(S + 290)])],
      new Set(),
    );
    expect(got).toEqual([
      { key: 'c>d', atMs: (S + 120) * 1000, change: 1 },
      { key: 'c>d', atMs: (S + 300) * 1000, change: -1 },
    ]);
  });

  it('places each change at the first grid instant at or after its exact instant', () => {
    // c appears at S+100 (the rule instant S+105, evaluated at S+120) and goes at S+290 (S+300, evaluated at S+315)
    const got = changesToTransitions(
      grid,
      plan,
      keyOf,
      baseCounts([], keyOf, new Set()),
      [series(c, [S + 120, S + 100], [S + 315, -(S + 290)])],
      new Set(),
    );
    expect(got).toEqual([
      { key: 'c>d', atMs: (S + 120) * 1000, change: 1 },
      { key: 'c>d', atMs: (S + 300) * 1000, change: -1 },
    ]);
  });

  it('keeps an object while another of its series is present', () => {
    const initial = new Set(['a>b']);
    const base = baseCounts(
      [{ metric: { source: 'a', target: 'b', timescope_at: 'base' }, value: [S, '2'] }],
      keyOf,
      initial,
    );
    const got = changesToTransitions(
      grid,
      plan,
      keyOf,
      base,
      [series(a, [S + 195, -(S + 170)]), series(a2, [S + 405, -(S + 380)])],
      initial,
    );
    expect(got).toEqual([{ key: 'a>b', atMs: (S + 420) * 1000, change: -1 }]);
  });

  it('ignores changes at or before the start (the base counts hold them) and after the coverage', () => {
    const got = changesToTransitions(
      grid,
      { ...plan, coveredToMs: (S + 300) * 1000 },
      keyOf,
      new Map(),
      [series(c, [S + 15, S - 5], [S + 390, S + 370])],
      new Set(),
    );
    expect(got).toEqual([]);
  });

  it('keeps a change inside the interval its evaluation compared', () => {
    // a value too early for its evaluation (a gauge that dropped to 0) is moved to the interval's start
    const got = changesToTransitions(
      grid,
      plan,
      keyOf,
      new Map([['c>d', 1]]),
      [series(c, [S + 330, -(S + 100)])],
      new Set(['c>d']),
    );
    // the evaluation at S+330 compared S+300 and S+315: the object was there at S+300, the grid instant
    expect(got).toEqual([{ key: 'c>d', atMs: (S + 360) * 1000, change: -1 }]);
  });
});

describe('changesToTransitions on a grid of cells (step - 2 scrapes later out of the cells)', () => {
  const cells = { ...changesPlan(edges, rule, grid)!, cellShiftMs: 30_000 }; // 60 s cells, 15 s scrape
  const c = { source: 'c', target: 'd', port: '80' };
  const series = (...changes: [evalSec: number, value: number][]) => ({
    metric: c,
    values: changes.map(([t, v]): [number, string] => [t, String(v)]),
  });
  const run = (...changes: [number, number][]) =>
    changesToTransitions(grid, cells, keyOf, new Map(), [series(...changes)], new Set());

  // the rule's evaluation at E judges the instant E - 15 s: a change at T is recorded by the first E - 15 s >= T
  it('keeps an object in the cells while it is present at their first instant (g - 30 s)', () => {
    // present at the instants [S + 20, S + 125) (its last sample at S + 95): in the cells of S + 60 and S + 120 only
    expect(run([S + 45, S + 20], [S + 150, -(S + 125)])).toEqual([
      { key: 'c>d', atMs: (S + 60) * 1000, change: 1 },
      { key: 'c>d', atMs: (S + 180) * 1000, change: -1 },
    ]);
    // present until S + 155: also at S + 150, the first instant of the cell of S + 180
    expect(run([S + 45, S + 20], [S + 180, -(S + 155)])).toEqual([
      { key: 'c>d', atMs: (S + 60) * 1000, change: 1 },
      { key: 'c>d', atMs: (S + 240) * 1000, change: -1 },
    ]);
  });

  it('a return no later than the shifted disappearance cancels both; a later one does not', () => {
    // gone at S + 125, back at S + 155 (S + 125 + 30 s): never out of the cells
    expect(run([S + 45, S + 20], [S + 150, -(S + 125)], [S + 180, S + 155])).toEqual([
      { key: 'c>d', atMs: (S + 60) * 1000, change: 1 },
    ]);
    // back at S + 250: out of the cell of S + 180, in that of S + 300
    expect(run([S + 45, S + 20], [S + 150, -(S + 125)], [S + 270, S + 250])).toEqual([
      { key: 'c>d', atMs: (S + 60) * 1000, change: 1 },
      { key: 'c>d', atMs: (S + 180) * 1000, change: -1 },
      { key: 'c>d', atMs: (S + 300) * 1000, change: 1 },
    ]);
  });
});

describe('tailTransitions', () => {
  it('compares each tail instant with the one before', () => {
    const got = tailTransitions([540_000, 600_000], [new Set(['x']), new Set(['y'])], (k) => k === 'y', [
      'x',
      'y',
      'z',
    ]);
    expect(got).toEqual([
      { key: 'x', atMs: 540_000, change: 1 },
      { key: 'x', atMs: 600_000, change: -1 },
      { key: 'y', atMs: 540_000, change: -1 },
      { key: 'y', atMs: 600_000, change: 1 },
    ]);
  });
});
