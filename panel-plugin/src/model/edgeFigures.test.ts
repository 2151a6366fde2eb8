// The figures frame read back, and what the edges show from it at an instant.
import type { DataFrame } from '@grafana/data';
import { testScene } from '../testutil/scene';
import { shopGraph } from '../testutil/shop';
import {
  edgeFigureStyles,
  edgeFiguresOf,
  edgeLabelsAt,
  errorColor,
  ERROR_COLOR,
  figureAt,
  figureText,
} from './edgeFigures';

const frame = (): DataFrame =>
  ({
    name: 'figures',
    length: 2,
    meta: { custom: { fromMs: 1000, stepMs: 60_000, steps: 3 } },
    fields: [
      { name: 'id', type: 'string', values: ['a->b', 'a->c'], config: {} },
      {
        name: 'rate',
        type: 'other',
        values: [
          [5, 2, null],
          [1, 1, 1],
        ],
        config: {},
      },
      {
        name: 'errorRatio',
        type: 'other',
        values: [
          [0, 0.2, null],
          [0.01, 0.01, 0.01],
        ],
        config: {},
      },
      {
        name: 'p95',
        type: 'other',
        values: [
          [0.25, 1.5, null],
          [0.1, 0.1, 0.1],
        ],
        config: {},
      },
    ],
  }) as unknown as DataFrame;

describe('edge figures', () => {
  const f = edgeFiguresOf([frame()]);

  it('reads the frame; the instant picks the last step at or before it', () => {
    expect(f?.byEdge.size).toBe(2);
    if (!f) return;
    expect(figureAt(f, 'a->b', 'rate', 1000)).toBe(5);
    expect(figureAt(f, 'a->b', 'rate', 61_000 + 59_999)).toBe(2);
    expect(figureAt(f, 'a->b', 'rate', 121_000)).toBeUndefined();
    expect(figureAt(f, 'a->b', 'rate', 0)).toBeUndefined();
    expect(figureAt(f, 'x->y', 'rate', 1000)).toBeUndefined();
  });

  it('labels edges with the figure chosen, with its unit', () => {
    expect(edgeLabelsAt(f, ['a->b', 'a->c', 'x->y'], 'rate', 1000)).toEqual(['5.00 req/s', '1.00 req/s', '']);
    expect(edgeLabelsAt(f, ['a->b'], 'p95', 61_000)).toEqual(['1.50 s']);
    expect(edgeLabelsAt(f, ['a->b'], 'errorRatio', 61_000)).toEqual(['20%']);
    expect(edgeLabelsAt(f, ['a->b'], 'none', 61_000)).toBeUndefined();
    expect(figureText('p95', 0.25)).toBe('250 ms');
    expect(figureText('errorRatio', 0.01)).toBe('1.0%');
  });

  it('colours an edge whose error ratio reaches the threshold at the instant', () => {
    expect(errorColor(f, 'a->b', 61_000, 0.05)).toBe(ERROR_COLOR);
    expect(errorColor(f, 'a->b', 1000, 0.05)).toBeUndefined();
    expect(errorColor(f, 'a->c', 1000, 0.05)).toBeUndefined();
    expect(errorColor(undefined, 'a->b', 61_000, 0.05)).toBeUndefined();
  });

  it('no figures frame, or one without its meta: no figures', () => {
    expect(edgeFiguresOf([])).toBeUndefined();
    expect(edgeFiguresOf([{ ...frame(), meta: {} }])).toBeUndefined();
  });
});

describe('edges in the scene', () => {
  it('take their label and their error colour from the figures at the instant', () => {
    const graph = shopGraph();
    const f = edgeFiguresOf([frame()]);
    const scene = (atMs: number) => testScene(graph, edgeFigureStyles(graph, f, atMs, 'errorRatio', 0.05));
    const early = scene(1000);
    const later = scene(61_000);
    const labels = (s: ReturnType<typeof scene>) => [0, 1].map((i) => s.edgeLabel(i));
    expect(labels(early)).toEqual(['0.0%', '1.0%']);
    expect(labels(later)).toEqual(['20%', '1.0%']);
    expect(early.edgeStyles[early.edgeStyle[0]].color).toBe('#edge');
    expect(later.edgeStyles[later.edgeStyle[0]].color).toBe(ERROR_COLOR);
    expect(later.edgeStyles[later.edgeStyle[1]].color).toBe('#edge');
    expect(edgeFigureStyles(graph, undefined, 1000, 'rate', 0.05)).toEqual({});
  });
});
