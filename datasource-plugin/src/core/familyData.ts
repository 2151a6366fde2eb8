// Runs a family's queries and turns the answers into per-object data: labels, state at named instants, intervals.
import type { PromClient } from './promClient';
import {
  AT_LABEL,
  labelsQuery,
  statesQuery,
  transitionsQuery,
  type Family,
  type NamedInstant,
  type Timing,
} from './queryBuilder';
import { reconstruct, type Grid, type Interval, type Transition } from './timeline';

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
  signal?: AbortSignal;
}

/** The window holding everything seen at some grid instant: the range and one lookback before its start. */
export function seenWindowMs(grid: Grid, timing: Timing): number {
  return grid.toMs - grid.fromMs + timing.lookbackMs;
}

/** 2 or 3 requests, whatever the number of objects. */
export async function queryFamily(client: PromClient, f: Family, o: FamilyQueryOptions): Promise<FamilyData> {
  const { grid, timing } = o;
  const toSec = grid.toMs / 1000;
  const windowMs = seenWindowMs(grid, timing);
  const [states, transitions, labelRows] = await Promise.all([
    client.instant(statesQuery(f, timing, o.instants), toSec, o.signal),
    client.range(transitionsQuery(f, timing, grid.stepMs), grid.fromMs / 1000, toSec, grid.stepMs / 1000, o.signal),
    o.withLabels ? client.instant(labelsQuery(f, timing, windowMs, o.withLabels.refSec), toSec, o.signal) : undefined,
  ]);
  const labels = new Map<string, Record<string, string>>();
  const preferred = new Set<string>();
  for (const row of labelRows ?? []) {
    const key = keyOf(f, row.metric);
    const isPreferred = Number(row.value[1]) === 2;
    if (!labels.has(key) || (isPreferred && !preferred.has(key))) labels.set(key, row.metric);
    if (isPreferred) preferred.add(key);
  }
  const at = new Map<string, Map<string, number>>(o.instants.map((i) => [i.name, new Map<string, number>()]));
  for (const row of states) {
    const key = keyOf(f, row.metric);
    at.get(row.metric[AT_LABEL] ?? '')?.set(key, Number(row.value[1]));
    if (!labels.has(key)) labels.set(key, pick(f, row.metric));
  }
  const list: Transition[] = [];
  for (const series of transitions) {
    const key = keyOf(f, series.metric);
    if (!labels.has(key)) labels.set(key, pick(f, series.metric));
    for (const [t, v] of series.values) list.push({ key, atMs: Math.round(t * 1000), change: Number(v) > 0 ? 1 : -1 });
  }
  const initial = at.get('from')?.keys() ?? [];
  const intervals = reconstruct(grid, initial, list);
  return { family: f, labels, at, intervals };
}
