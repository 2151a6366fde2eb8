import { addHairlines, hairlineCount, hairlineWidth } from './hairlines';

function recorder() {
  const calls: Array<[string, number, number]> = [];
  const ctx = {
    moveTo: (x: number, y: number) => calls.push(['M', x, y]),
    lineTo: (x: number, y: number) => calls.push(['L', x, y]),
  } as unknown as CanvasRenderingContext2D;
  return { ctx, calls };
}

describe('hairlines', () => {
  it('draws a line of w device pixels as round(w) hairlines, at least one', () => {
    expect(hairlineCount(1, 1)).toBe(1);
    expect(hairlineCount(0.3, 1)).toBe(1);
    expect(hairlineCount(2.5, 1)).toBe(3);
    expect(hairlineCount(2, 2)).toBe(4);
  });

  it('strokes a little under one device pixel at any scale, so that the stroke stays a hairline', () => {
    for (const scale of [0.02, 0.3, 1.05, 3, 8]) expect(hairlineWidth(scale) * scale).toBeLessThan(1);
  });

  it('adds one segment for one hairline, else parallel segments one gap apart around the line', () => {
    const one = recorder();
    addHairlines(one.ctx, 0, 0, 10, 0, 1, 0.5);
    expect(one.calls).toEqual([
      ['M', 0, 0],
      ['L', 10, 0],
    ]);
    const three = recorder();
    addHairlines(three.ctx, 0, 0, 10, 0, 3, 0.5);
    // a horizontal line: the copies sit at y = -0.5, 0, 0.5
    expect(three.calls.map(([op, x, y]) => [op, x, y + 0])).toEqual([
      ['M', 0, -0.5],
      ['L', 10, -0.5],
      ['M', 0, 0],
      ['L', 10, 0],
      ['M', 0, 0.5],
      ['L', 10, 0.5],
    ]);
  });
});
