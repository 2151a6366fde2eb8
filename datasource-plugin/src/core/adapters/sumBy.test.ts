import { unsummedDiffers } from './figureCheck';
import { sumBy } from './sumBy';

const grid = { fromMs: 60_000, toMs: 240_000, stepMs: 60_000 };

describe('figure rows summed in the datasource', () => {
  it('sums rows by the labels, per step, leaving out empty labels and steps without a value', () => {
    const rows = [
      {
        metric: { client: 'a', server: 'b', status: '500' },
        values: [
          [60, '1'],
          [120, '2'],
        ] as [number, string][],
      },
      {
        metric: { client: 'a', server: 'b', status: '503' },
        values: [
          [120, '0.5'],
          [240, '4'],
        ] as [number, string][],
      },
      { metric: { client: 'c', server: '', status: '500' }, values: [[180, '3']] as [number, string][] },
    ];
    expect(sumBy(rows, ['client', 'server'], grid)).toEqual([
      {
        metric: { client: 'a', server: 'b' },
        values: [
          [60, 1],
          [120, 2.5],
          [240, 4],
        ],
      },
      { metric: { client: 'c' }, values: [[180, 3]] },
    ]);
  });

  it("says where one edge's unsummed p95 rows meet at a step (the sum would have merged them)", () => {
    const row = (instance: string, times: number[]) => ({
      metric: { client: 'a', server: 'b', instance },
      values: times.map((t): [number, string] => [t, '0.2']),
    });
    expect(unsummedDiffers([row('x', [60, 120])], ['client', 'server'])).toBe(false);
    // one collector after the other: at no step both
    expect(unsummedDiffers([row('x', [60, 120]), row('y', [180, 240])], ['client', 'server'])).toBe(false);
    expect(unsummedDiffers([row('x', [60, 120]), row('y', [120])], ['client', 'server'])).toBe(true);
    // kept apart by a label of the sum: different edges
    expect(
      unsummedDiffers(
        [row('x', [60]), { ...row('x', [60]), metric: { client: 'a', server: 'c' } }],
        ['client', 'server'],
      ),
    ).toBe(false);
  });
});
