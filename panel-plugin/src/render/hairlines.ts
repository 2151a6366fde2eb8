// Wide lines as parallel hairlines. The 2D canvas here rasterises in software (Skia): a stroke one device pixel wide
// is drawn as a hairline, several times faster than any wider stroke, which Skia turns into a filled outline first.
// Measured in headless Chromium: 3,000 long lines 2 px wide 200-370 ms to the screen, as pairs of hairlines 40-60 ms;
// 30,000 of them 1-5 s, against 130-250 ms. A line of w device pixels is therefore drawn as round(w) hairlines one
// device pixel apart, which looks the same at the sizes edges have (1-8 px).

/**
 * The line width that makes a stroke a hairline under a transform of this scale (world units). A little under one
 * device pixel: exactly one, after the transform's floating point, can come out a hair wider, and Skia then outlines
 * and fills the stroke (a pan repaint of 10,000 edges took 5 s instead of 0.1 s).
 */
export function hairlineWidth(scale: number): number {
  return 0.9 / scale;
}

/** The number of hairlines that draw a line `width` CSS pixels wide at this device pixel ratio. */
export function hairlineCount(width: number, dpr: number): number {
  return Math.max(1, Math.round(width * dpr));
}

/**
 * Adds the line (x0, y0) -> (x1, y1) to the current path as `count` parallel segments `gap` apart (world units), to
 * be stroked with a line width of one device pixel.
 */
export function addHairlines(
  ctx: CanvasRenderingContext2D,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  count: number,
  gap: number,
): void {
  if (count <= 1) {
    ctx.moveTo(x0, y0);
    ctx.lineTo(x1, y1);
    return;
  }
  const dx = x1 - x0;
  const dy = y1 - y0;
  const len = Math.sqrt(dx * dx + dy * dy) || 1;
  const nx = (-dy / len) * gap;
  const ny = (dx / len) * gap;
  for (let j = 0; j < count; j++) {
    const o = j - (count - 1) / 2;
    ctx.moveTo(x0 + nx * o, y0 + ny * o);
    ctx.lineTo(x1 + nx * o, y1 + ny * o);
  }
}
