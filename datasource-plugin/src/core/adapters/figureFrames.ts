// The figures as frames: the figures frame (common/src/frames.ts) and, on the edges frame, the figures at the
// instant shown as Node Graph's mainstat / secondarystat with units, the p95 and the sources as details.
import type { DataFrame, Field, FieldType } from '@grafana/data';
import { EDGE_SOURCES_DETAIL, FigureField, FrameName, NodeGraphField, type FiguresMeta } from '@timescope/common';
import type { Grid } from '../timeline';
import type { Topology } from '../topology';
import { figureStepNote } from './figureGrid';
import { gridLength, stepIndex } from './figures';

const num = 'number' as FieldType.number;
const str = 'string' as FieldType.string;
const other = 'other' as FieldType.other;

/** The instant the nodes and edges frames show. */
function shownMs(t: Topology): number {
  return t.request.mode === 'instant' ? (t.request.instantMs ?? t.grid.toMs) : t.grid.toMs;
}

/** The figures' instants: their own grid (the query's step or coarser). */
const figureGridOf = (t: Topology): Grid => t.figureGrid ?? t.grid;

/**
 * One row per edge with figures; undefined when no edge has any. Its meta says the figures' grid, and a notice says
 * when their step is coarser than the query's.
 */
export function figuresFrame(t: Topology, refId: string): DataFrame | undefined {
  const figures = t.figures;
  if (!figures || figures.size === 0) return undefined;
  const ids = [...figures.keys()].sort();
  const col = (name: string, values: unknown[], type: FieldType = other): Field => ({ name, type, values, config: {} });
  const grid = figureGridOf(t);
  const custom: FiguresMeta = { fromMs: grid.fromMs, stepMs: grid.stepMs, steps: gridLength(grid) };
  const note = figureStepNote(grid, t.grid);
  return {
    name: FrameName.Figures,
    refId,
    length: ids.length,
    meta: { custom: { ...custom }, ...(note ? { notices: [{ severity: 'info', text: note }] } : {}) },
    fields: [
      col(FigureField.id, ids, str),
      col(
        FigureField.rate,
        ids.map((id) => figures.get(id)?.rate),
      ),
      col(
        FigureField.errorRatio,
        ids.map((id) => figures.get(id)?.errorRatio),
      ),
      col(
        FigureField.p95,
        ids.map((id) => figures.get(id)?.p95),
      ),
    ],
  };
}

function replaceField(f: DataFrame, field: Field): void {
  const i = f.fields.findIndex((x) => x.name === field.name);
  if (i >= 0) f.fields[i] = field;
  else f.fields.push(field);
}

/**
 * Adds the sources of each edge and, when some edge has figures, puts them in mainstat (requests/s) and
 * secondarystat (error ratio) with p95 as a detail; the connections count moves to a detail then.
 */
export function withFigureFields(edges: DataFrame, t: Topology): DataFrame {
  const ids = (edges.fields.find((x) => x.name === NodeGraphField.id)?.values ?? []) as string[];
  const byId = new Map(t.edges.map((e) => [e.id, e]));
  const out: DataFrame = { ...edges, fields: [...edges.fields] };
  replaceField(out, {
    name: EDGE_SOURCES_DETAIL,
    type: str,
    values: ids.map((id) => (byId.get(id)?.sources ?? []).join(', ')),
    config: { displayName: 'Sources' },
  });
  const figures = t.figures;
  if (!figures || figures.size === 0) return out;
  const i = stepIndex(figureGridOf(t), shownMs(t));
  const at = (name: 'rate' | 'errorRatio' | 'p95'): (number | null)[] =>
    ids.map((id) => figures.get(id)?.[name][i] ?? null);
  const connections = out.fields.find((x) => x.name === NodeGraphField.mainStat);
  if (connections) {
    replaceField(out, {
      ...connections,
      name: `${NodeGraphField.detail}connections`,
      config: { displayName: 'Connections' },
    });
  }
  replaceField(out, {
    name: NodeGraphField.mainStat,
    type: num,
    values: at('rate'),
    config: { displayName: 'Requests', unit: 'reqps', decimals: 2 },
  });
  replaceField(out, {
    name: NodeGraphField.secondaryStat,
    type: num,
    values: at('errorRatio'),
    config: { displayName: 'Errors', unit: 'percentunit', decimals: 1 },
  });
  replaceField(out, {
    name: `${NodeGraphField.detail}p95`,
    type: num,
    values: at('p95'),
    config: { displayName: 'p95 latency', unit: 's' },
  });
  return out;
}
