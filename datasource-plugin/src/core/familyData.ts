// The last step for a family: its answers turned into per-object data (labels, state at named instants,
// intervals), from the raw series or from the presence rule's changes, as its plan says.
import { PRESENCE_METRIC_LABEL } from '@timescope/common';
import type { Answers } from './execute';
import { baseCounts, changesToTransitions, tailTransitions } from './presenceChanges';
import { AT_LABEL, type Family } from './queryBuilder';
import { aliases, tailNames as namesOfTail, type FamilyPlan, type QueryContext } from './queryPlan';
import { presentAt, reconstruct, type Interval, type Transition } from './timeline';

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

/** The family's data from its answers; 2 to 5 requests, whatever the number of objects. */
export function decodeFamily(ctx: QueryContext, fp: FamilyPlan, answers: Answers): FamilyData {
  const { grid } = ctx;
  const f = fp.family;
  const plan = fp.changes;
  const tail = fp.tail;
  const { names } = aliases(ctx.instants);
  const tailNames = namesOfTail(tail);
  const stateRows = [...answers.vector(`${fp.id}.states.from`), ...answers.vector(`${fp.id}.states`)];
  const tailRows = answers.vector(`${fp.id}.tail`);
  const transitions = answers.matrix(`${fp.id}.transitions`);
  const changeRows = answers.matrix(`${fp.id}.changes`);
  const labelRows = answers.vector(`${fp.id}.labels`);
  for (const n of tailNames) names.set(n.name, [n.name]);
  const labels = new Map<string, Record<string, string>>();
  const preferred = new Set<string>();
  for (const row of labelRows) {
    const key = keyOf(f, row.metric);
    const isPreferred = Number(row.value[1]) === 2;
    if (!labels.has(key) || (isPreferred && !preferred.has(key))) labels.set(key, row.metric);
    if (isPreferred) preferred.add(key);
  }
  const all = new Map<string, Map<string, number>>([...ctx.instants, ...tailNames].map((i) => [i.name, new Map()]));
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
    labels.set(key, fp.withLabels ? { __name__: name ?? '', ...rest } : pick(f, series.metric));
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
  const at = new Map(ctx.instants.map((i) => [i.name, all.get(i.name) ?? new Map<string, number>()]));
  return { family: f, labels, at, intervals };
}
