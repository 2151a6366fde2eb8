// The last step for a family: its answers turned into per-object data (labels, state at named instants,
// intervals), from the raw series or from the presence rule's changes, as its plan says.
import { PRESENCE_METRIC_LABEL } from '@timescope/common';
import type { Answers } from './execute';
import type { PromMatrixSeries, PromVectorSample } from './promClient';
import { ruleTransitions } from './presenceChanges';
import { fromSamples } from './samplePresence';
import { AT_LABEL, type Family } from './queryBuilder';
import { CELL_AFTER_START, CELL_AT_END, requestId, type FamilyPlan, type QueryContext } from './queryPlan';
import { reconstruct, withEnd, type Interval, type Transition } from './timeline';

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

/** The answers of a family's requests (none: not asked). */
interface Rows {
  states: PromVectorSample[];
  tail: PromVectorSample[];
  transitions: PromMatrixSeries[];
  changes: PromMatrixSeries[];
  labels: PromVectorSample[];
}

function rowsOf(ctx: QueryContext, fp: FamilyPlan, answers: Answers): Rows {
  const raw = fp.samples
    ? fromSamples(
        fp.family,
        fp.samples,
        ctx.grid,
        answers.matrix(requestId(fp.id, 'samples')),
        answers.matrix(requestId(fp.id, 'samples.also')),
      )
    : undefined;
  return {
    states: [...answers.vector(`${fp.id}.states.from`), ...answers.vector(`${fp.id}.states`), ...(raw?.states ?? [])],
    tail: answers.vector(`${fp.id}.tail`),
    transitions: raw?.transitions ?? answers.matrix(`${fp.id}.transitions`),
    changes: answers.matrix(`${fp.id}.changes`),
    labels: answers.vector(`${fp.id}.labels`),
  };
}

/**
 * Each object's labels: its series' labels when asked (those present at the reference instant preferred), else
 * its `by` labels from whichever answer names it first.
 */
function labelsOf(fp: FamilyPlan, rows: Rows): Map<string, Record<string, string>> {
  const f = fp.family;
  const labels = new Map<string, Record<string, string>>();
  const preferred = new Set<string>();
  for (const row of rows.labels) {
    const key = keyOf(f, row.metric);
    const isPreferred = Number(row.value[1]) === 2;
    if (!labels.has(key) || (isPreferred && !preferred.has(key))) labels.set(key, row.metric);
    if (isPreferred) preferred.add(key);
  }
  for (const series of [...rows.states, ...rows.tail, ...rows.transitions]) {
    const key = keyOf(f, series.metric);
    if (!labels.has(key)) labels.set(key, pick(f, series.metric));
  }
  for (const series of rows.changes) {
    const key = keyOf(f, series.metric);
    if (labels.has(key)) continue;
    const { [PRESENCE_METRIC_LABEL]: name, ...rest } = series.metric;
    labels.set(key, fp.withLabels ? { __name__: name ?? '', ...rest } : pick(f, series.metric));
  }
  return labels;
}

/** The value of each object present at each named instant (the query's and the tail's). */
function statesOf(ctx: QueryContext, fp: FamilyPlan, rows: Rows): Map<string, Map<string, number>> {
  const names = new Map(ctx.aliases.names);
  const own = [...fp.tailNames, ...ctx.cells];
  for (const n of own) names.set(n.name, [n.name]);
  const all = new Map<string, Map<string, number>>([...ctx.instants, ...own].map((i) => [i.name, new Map()]));
  for (const row of [...rows.states, ...rows.tail]) {
    const key = keyOf(fp.family, row.metric);
    for (const name of names.get(row.metric[AT_LABEL] ?? '') ?? []) all.get(name)?.set(key, Number(row.value[1]));
  }
  return all;
}

/** The transitions after the start: from the rule's changes and the tail's states, or from the raw range query. */
function transitionsOf(
  ctx: QueryContext,
  fp: FamilyPlan,
  rows: Rows,
  states: ReadonlyMap<string, ReadonlyMap<string, number>>,
  keys: Iterable<string>,
): Transition[] {
  const key = (l: Record<string, string>): string => keyOf(fp.family, l);
  const initial = new Set(states.get('from')?.keys() ?? []);
  const tailStates = fp.tailNames.map((n) => new Set(states.get(n.name)?.keys() ?? []));
  const answered = { states: rows.states, changes: rows.changes, tailStates };
  const list = ruleTransitions(ctx.grid, fp.changes, fp.tail, key, initial, answered, keys);
  const first = firstCell(ctx, fp, states, initial);
  for (const series of rows.transitions) {
    const k = key(series.metric);
    for (const [t, v] of series.values) {
      const atMs = Math.round(t * 1000);
      if (first && atMs === first.atMs) continue;
      list.push({ key: k, atMs, change: Number(v) > 0 ? 1 : -1 });
    }
  }
  if (first) list.push(...first.transitions);
  return list;
}

/**
 * The transitions into the cell after the start, from its asked state, when the range query answers that cell: it
 * would compare the cell with the one ending at the start (reaching before the range), not with the start's state.
 */
function firstCell(
  ctx: QueryContext,
  fp: FamilyPlan,
  states: ReadonlyMap<string, ReadonlyMap<string, number>>,
  initial: ReadonlySet<string>,
): { atMs: number; transitions: Transition[] } | undefined {
  const cell = ctx.cells.find((c) => c.name === CELL_AFTER_START);
  if (!cell || fp.rangeFromMs === undefined) return undefined;
  const atMs = Math.round(cell.sec * 1000);
  if (fp.rangeFromMs > atMs) return undefined;
  const now = states.get(cell.name) ?? new Map<string, number>();
  const transitions: Transition[] = [];
  for (const k of new Set([...initial, ...now.keys()])) {
    if (now.has(k) !== initial.has(k)) transitions.push({ key: k, atMs, change: now.has(k) ? 1 : -1 });
  }
  return { atMs, transitions };
}

/** The family's data from the answers of its 2 to 5 requests, whatever the number of objects. */
export function decodeFamily(ctx: QueryContext, fp: FamilyPlan, answers: Answers): FamilyData {
  const rows = rowsOf(ctx, fp, answers);
  const labels = labelsOf(fp, rows);
  const states = statesOf(ctx, fp, rows);
  const initial = new Set(states.get('from')?.keys() ?? []);
  const onGrid = reconstruct(ctx.grid, initial, transitionsOf(ctx, fp, rows, states, labels.keys()));
  const at = new Map(ctx.instants.map((i) => [i.name, states.get(i.name) ?? new Map<string, number>()]));
  // off the grid, the end's own cell (from the last grid instant on) on a coarse grid, else the end's instant
  const atEnd = states.get(CELL_AT_END) ?? at.get('to') ?? new Map<string, number>();
  const intervals = new Map<string, Interval[]>();
  for (const key of new Set([...onGrid.keys(), ...atEnd.keys()])) {
    intervals.set(key, withEnd(ctx.grid, onGrid.get(key) ?? [], atEnd.has(key)));
  }
  return { family: fp.family, labels, at, intervals };
}
