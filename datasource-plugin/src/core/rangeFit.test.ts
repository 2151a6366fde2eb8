// The pieces of a range query ask exactly the whole's instants, and a step is coarsened only past the store's
// points per series.
import { fitStep, halves, joinSeries, type RangeAsk } from './rangeFit';

const instants = (r: RangeAsk): number[] => {
  const out: number[] = [];
  for (let k = 0; r.startSec + k * r.stepSec <= r.endSec + 1e-9; k++)
    out.push(Number((r.startSec + k * r.stepSec).toFixed(3)));
  return out;
};

describe('halves', () => {
  it.each([
    [0, 86_400, 60],
    [1_000.5, 1_000.5 + 7 * 174, 174],
    [0, 60, 60],
  ])('of %s..%s every %s s: the whole range instants, each once', (startSec, endSec, stepSec) => {
    const r = { query: 'q', startSec, endSec, stepSec };
    const [a, b] = halves(r) ?? [r, r];
    expect([...instants(a), ...instants(b)]).toEqual(instants(r));
  });

  it('a single instant cannot be split', () => {
    expect(halves({ query: 'q', startSec: 10, endSec: 10, stepSec: 60 })).toBeUndefined();
  });
});

it('joinSeries puts the pieces of a series back together, in time order', () => {
  const s = (values: [number, string][]) => ({ metric: { b: '1', a: '2' }, values });
  const other = { metric: { a: '3' }, values: [[5, '1']] as [number, string][] };
  expect(joinSeries([[s([[3, '1']]), other], [{ metric: { a: '2', b: '1' }, values: [[1, '-1']] }]])).toEqual([
    s([
      [1, '-1'],
      [3, '1'],
    ]),
    other,
  ]);
});

describe('fitStep', () => {
  const day = { fromMs: 0, toMs: 86_400_000, stepMs: 15_000 };
  it('keeps a step whose points the store answers', () => {
    expect(fitStep(day, { maxPointsPerSeries: 11_000 })).toEqual({ stepMs: 15_000 });
  });
  it('coarsens it in whole seconds past them, and says so', () => {
    expect(fitStep(day, { maxPointsPerSeries: 1_000 })).toEqual({
      stepMs: 87_000,
      note: 'Step coarsened from 15 s to 87 s: the store answers at most 1,000 points per series (5,761 asked).',
    });
  });
});
