// Runs a family's queries and turns the answers into per-object data: labels, state at named instants, intervals.
import { PRESENCE_METRIC_LABEL } from '@timescope/common';
import type { PromClient, PromMatrixSeries } from './promClient';
import {
  AT_LABEL,
  labelsAtQuery,
  labelsQuery,
  statesQuery,
  transitionsQuery,
  type Family,
  type NamedInstant,
  type Timing,
} from './queryBuilder';
import {
  baseCounts,
  baseCountsQuery,
  changesPlan,
  changesQuery,
  changesToTransitions,
  readsRule,
  tailInstants,
  tailTransitions,
  type ChangesPlan,
  type RuleCoverage,
} from './presenceChanges';
import { presentAt, reconstruct, type Grid, type Interval, type Transition } from './timeline';

export interface FamilyData {
  family: Family;
  /** labels of each object (the `by` labels; all labels of its preferred series when labels were asked for) */
  labels: Map<string, Record<string, string>>;
  /** value of each object present at each named instant */
  at: Map<string, Map<string, number>>;
  intervals: Map<string, Interval[]>;
}

export function keyOf(f: Family, labels: Record<string, string>): string {
  return f.by.map((l) => labels[l] ?? '').join('\u0000');
}

function pick(f: Family, labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(f.by.map((l) => [l, labels[l] ?? '']));
}

export interface FamilyQueryOptions {
  grid: Grid;
  timing: Timing;
  instants: readonly NamedInstant[];
  /** ask for all labels (nodes); the value-2 series are those present at `labelsRefSec` */
  withLabels?: { refSec: number };
  /** the presence rule's coverage of the grid, being asked (presenceChanges.ts); absent: the raw series only */
  rule?: Promise<RuleCoverage | undefined>;
  signal?: AbortSignal;
}

/** The window holding everything seen at some grid instant: the range and one lookback before its start. */
export function seenWindowMs(grid: Grid, timing: Timing): number {
  return grid.toMs - grid.fromMs + timing.lookbackMs;
}

/** Beyond this many grid instants after the presence rule's last evaluation, they are asked as one range query. */
const MAX_TAIL_INSTANTS = 4;

/** Instants that fall on the same millisecond are asked once: the first name stands for the others. */
function aliases(instants: readonly NamedInstant[]): { unique: NamedInstant[]; names: Map<string, string[]> } {
  const bySec = new Map<number, NamedInstant>();
  const names = new Map<string, string[]>();
  for (const i of instants) {
    const first = bySec.get(i.sec) ?? i;
    bySec.set(i.sec, first);
    names.set(first.name, [...(names.get(first.name) ?? []), i.name]);
  }
  return { unique: [...bySec.values()], names };
}

/** Which grid instants the raw series answer: a tail asked as named instants, or a range query from an instant. */
function rawPart(grid: Grid, plan: ChangesPlan | undefined): { tail: number[]; rangeFromMs?: number } {
  if (!plan) return { tail: [], rangeFromMs: grid.fromMs };
  const tail = tailInstants(grid, plan);
  return tail.length > MAX_TAIL_INSTANTS ? { tail: [], rangeFromMs: tail[0] } : { tail };
}

/**
 * 2 to 5 requests, whatever the number of objects. The states do not depend on whether the presence rule covers
 * the range: they are asked while that is being found out; the rest follows.
 */
export async function queryFamily(client: PromClient, f: Family, o: FamilyQueryOptions): Promise<FamilyData> {
  const { grid, timing } = o;
  const toSec = grid.toMs / 1000;
  const windowMs = seenWindowMs(grid, timing);
  const rule = o.rule && readsRule(f) ? o.rule : undefined;
  const { unique, names } = aliases(o.instants);
  const none = Promise.resolve<PromMatrixSeries[]>([]);
  // with the rule possible, the start's state and counts go in a request of their own, beside the other instants':
  // Prometheus runs each request on one core (the counts are wasted if the rule does not cover the range)
  const first = rule ? unique.filter((i) => i.sec === grid.fromMs / 1000) : [];
  const rest = unique.filter((i) => !first.includes(i));
  const states = [
    ...(rule ? [`${statesQuery(f, timing, first)} or ${baseCountsQuery(f, timing, grid)}`] : []),
    ...(rest.length > 0 ? [statesQuery(f, timing, rest)] : []),
  ];
  const statesAsked = Promise.all(states.map((q) => client.instant(q, toSec, o.signal))).then((r) => r.flat());
  const restAsked = (async () => {
    const plan = rule ? changesPlan(f, await rule, grid) : undefined;
    const { tail, rangeFromMs } = rawPart(grid, plan);
    const tailNames = tail.map((g, i): NamedInstant => ({ name: `tail${i}`, sec: g / 1000 }));
    const changes = plan ? changesQuery(f, plan) : undefined;
    const [transitions, changeRows, labelRows, tailRows] = await Promise.all([
      rangeFromMs === undefined
        ? none
        : client.range(
            transitionsQuery(f, timing, grid.stepMs),
            rangeFromMs / 1000,
            toSec,
            grid.stepMs / 1000,
            o.signal,
          ),
      changes ? client.samples(changes.query, changes.atSec, o.signal) : none,
      o.withLabels
        ? client.instant(
            plan
              ? labelsAtQuery(f, timing, o.withLabels.refSec, grid.fromMs / 1000)
              : labelsQuery(f, timing, windowMs, o.withLabels.refSec),
            toSec,
            o.signal,
          )
        : undefined,
      tailNames.length > 0 ? client.instant(statesQuery(f, timing, tailNames), toSec, o.signal) : [],
    ]);
    return { plan, tail, tailNames, transitions, changeRows, labelRows, tailRows };
  })();
  const [stateRows, { plan, tail, tailNames, transitions, changeRows, labelRows, tailRows }] = await Promise.all([
    statesAsked,
    restAsked,
  ]);
  for (const n of tailNames) names.set(n.name, [n.name]);
  const labels = new Map<string, Record<string, string>>();
  const preferred = new Set<string>();
  for (const row of labelRows ?? []) {
    const key = keyOf(f, row.metric);
    const isPreferred = Number(row.value[1]) === 2;
    if (!labels.has(key) || (isPreferred && !preferred.has(key))) labels.set(key, row.metric);
    if (isPreferred) preferred.add(key);
  }
  const all = new Map<string, Map<string, number>>([...o.instants, ...tailNames].map((i) => [i.name, new Map()]));
  for (const row of [...stateRows, ...tailRows]) {
    const key = keyOf(f, row.metric);
    for (const name of names.get(row.metric[AT_LABEL] ?? '') ?? []) all.get(name)?.set(key, Number(row.value[1]));
    if (!labels.has(key)) labels.set(key, pick(f, row.metric));
  }
  for (const series of transitions) {
    const key = keyOf(f, series.metric);
    if (!labels.has(key)) labels.set(key, pick(f, series.metric));
  }
  for (const series of changeRows) {
    const key = keyOf(f, series.metric);
    if (labels.has(key)) continue;
    const { [PRESENCE_METRIC_LABEL]: name, ...rest } = series.metric;
    labels.set(key, o.withLabels ? { __name__: name ?? '', ...rest } : pick(f, series.metric));
  }
  const initial = new Set(all.get('from')?.keys() ?? []);
  const list: Transition[] = [];
  if (plan) {
    const base = baseCounts(stateRows, (l) => keyOf(f, l), initial);
    list.push(...changesToTransitions(grid, plan, (l) => keyOf(f, l), base, changeRows, initial));
  }
  if (tail.length > 0) {
    const known = reconstruct(grid, initial, list);
    const before = (key: string): boolean => presentAt(known.get(key) ?? [], tail[0] - grid.stepMs, grid.stepMs);
    const sets = tailNames.map((n) => new Set(all.get(n.name)?.keys() ?? []));
    list.push(...tailTransitions(tail, sets, before, labels.keys()));
  }
  for (const series of transitions) {
    const key = keyOf(f, series.metric);
    for (const [t, v] of series.values) list.push({ key, atMs: Math.round(t * 1000), change: Number(v) > 0 ? 1 : -1 });
  }
  const intervals = reconstruct(grid, initial, list);
  const at = new Map(o.instants.map((i) => [i.name, all.get(i.name) ?? new Map<string, number>()]));
  return { family: f, labels, at, intervals };
}
