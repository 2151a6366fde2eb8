// The service graph panel in headless Chromium, loaded by the e2e plugin host the way Grafana loads it, at 1,000,
// 5,000, 10,000 and 20,000 nodes (3 edges per node). Time to pixels: every figure ends after the animation frame
// that follows the canvas draw, not at the end of the draw call. First draw (frames handed to the panel -> on
// screen), an instant change (a key moves the instant -> on screen), and frames per second while panning, fitted
// (zoomed out) and zoomed in. Each figure is printed beside its target and beside the same figure without semantic
// zoom (grouping 'none', the previous default: every node drawn at every zoom), measured in the same run.
// Asserts nothing. Needs the built plugins and host (scripts/build.sh).
//
//   node -r ./scripts/register-swc.js bench/panel.bench.ts [sizes, e.g. 1000,10000]
import type { Page } from 'playwright-core';
import { startHost } from '../e2e/host/server';
import { launchBrowser } from '../e2e/support/browser';
import { syntheticGraph, type FrameJson } from '../e2e/support/frames';
import { hostUrl, openHost } from '../e2e/support/host';
import { median, quantile } from './stats';

/** Targets at 10,000 nodes / 30,000 edges; 20,000 / 60,000 within twice these. */
const FIRST_DRAW_TARGET_MS = 500;
const INSTANT_TARGET_MS = 50;
const PAN_TARGET_FPS = 50;
const EDGES_PER_NODE = 3;

const FROM = Date.UTC(2026, 10, 24, 10, 0, 0);
const TO = FROM + 2 * 3600_000;
const SCENE = '[data-testid="timescope-scene"]';

type Design = 'semantic zoom' | 'every node';
const GROUPING: Record<Design, string> = { 'semantic zoom': 'auto', 'every node': 'none' };

const ms = (v: number): string => `${v.toFixed(0)} ms`;

/** The target a figure at n nodes is held to: the 10,000-node target, twice it at 20,000. */
function scaled(target: number, n: number, higherIsBetter: boolean): number | undefined {
  if (n < 10_000) return undefined;
  const k = n >= 20_000 ? 2 : 1;
  return higherIsBetter ? target / k : target * k;
}

async function load(page: Page, base: string, design: Design): Promise<void> {
  await openHost(page, hostUrl(base, { from: FROM, to: TO, options: { grouping: GROUPING[design] } }));
  // as in Grafana: no scene description for tests (the host page asks for one)
  await page.evaluate(() => document.documentElement.removeAttribute('data-timescope-scene'));
}

/** Frames handed to the panel -> the animation frame after its first canvas draw. */
async function firstDraw(page: Page, frames: FrameJson[]): Promise<number> {
  return page.evaluate(
    ({ input, selector }) =>
      new Promise<number>((resolve) => {
        // (the JSON parse stands for the query's response arriving: it is counted)
        const t0 = performance.now();
        const obs = new MutationObserver(() => {
          if (!document.querySelector(selector)?.getAttribute('data-drawn-at')) return;
          obs.disconnect();
          requestAnimationFrame(() => resolve(performance.now() - t0));
        });
        obs.observe(document.body, { subtree: true, childList: true, attributes: true });
        window.timescopeHost.setFrames({ frames: JSON.parse(input) as FrameJson[] });
      }),
    { input: JSON.stringify(frames), selector: SCENE },
  );
}

/** Home and End cross every change of the synthetic history: key down -> the frame after the redraw. */
async function instantChanges(page: Page): Promise<number[]> {
  return page.evaluate(async (selector) => {
    const panel = document.querySelector('[data-testid="timescope-panel"]') as HTMLElement;
    const wrap = document.querySelector(selector) as HTMLElement;
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    const out: number[] = [];
    for (const key of Array(6).fill(['Home', 'End']).flat() as string[]) {
      await frame();
      await frame();
      const before = wrap.getAttribute('data-draws');
      const t = await new Promise<number | null>((resolve) => {
        const t0 = performance.now();
        const give = setTimeout(() => (obs.disconnect(), resolve(null)), 3000);
        const obs = new MutationObserver(() => {
          if (wrap.getAttribute('data-draws') === before) return;
          obs.disconnect();
          clearTimeout(give);
          requestAnimationFrame(() => resolve(performance.now() - t0));
        });
        obs.observe(wrap, { attributes: true });
        panel.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
      });
      if (t !== null) out.push(t);
    }
    return out;
  }, SCENE);
}

/** Zooms with the wheel at the canvas' centre until the scale reaches `scale`. */
async function zoomTo(page: Page, scale: number): Promise<void> {
  const box = (await page.locator(`${SCENE} canvas`).boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 30; i++) {
    const v = JSON.parse((await page.getAttribute(SCENE, 'data-view')) ?? '{}') as { scale: number };
    if (v.scale >= scale) break;
    await page.mouse.wheel(0, -300);
    await page.waitForTimeout(50);
  }
  await page.waitForTimeout(300);
}

/** Drags the graph for a few seconds; requestAnimationFrame timestamps in the page count the frames. */
async function pan(page: Page): Promise<{ fps: number; p95: number }> {
  const box = (await page.locator(`${SCENE} canvas`).boundingBox())!;
  await page.evaluate(() => {
    const w = window as unknown as { panStamps: number[]; panStop: boolean };
    w.panStamps = [];
    w.panStop = false;
    const tick = (t: number) => {
      w.panStamps.push(t);
      if (!w.panStop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  for (let round = 0; round < 2; round++) {
    await page.mouse.move(cx + 300, cy + 150, { steps: 50 });
    await page.mouse.move(cx - 300, cy - 150, { steps: 100 });
    await page.mouse.move(cx, cy, { steps: 50 });
  }
  await page.mouse.up();
  const s = await page.evaluate(() => {
    const w = window as unknown as { panStamps: number[]; panStop: boolean };
    w.panStop = true;
    return w.panStamps;
  });
  const gaps = s.slice(1).map((t, i) => t - s[i]);
  return { fps: (s.length - 1) / ((s[s.length - 1] - s[0]) / 1000), p95: quantile(gaps, 0.95) };
}

interface Figures {
  first: number;
  instant: number;
  instantP95: number;
  panOut: { fps: number; p95: number };
  panIn: { fps: number; p95: number };
}

async function measure(page: Page, base: string, n: number, design: Design): Promise<Figures> {
  const frames = syntheticGraph(n, FROM, TO, EDGES_PER_NODE);
  const runs = n >= 20_000 ? 2 : 3;
  const first: number[] = [];
  for (let r = 0; r < runs; r++) {
    await load(page, base, design);
    first.push(await firstDraw(page, frames));
  }
  const instant = await instantChanges(page);
  const panOut = await pan(page);
  await zoomTo(page, 1);
  const panIn = await pan(page);
  return { first: median(first), instant: median(instant), instantP95: quantile(instant, 0.95), panOut, panIn };
}

function line(label: string, value: string, target: number | undefined, ratio: string, old: string): string {
  const t = target === undefined ? ''.padEnd(16) : `target ${label === 'pan' ? '>=' : '<'} ${target}`.padEnd(16);
  return `    ${label.padEnd(18)} ${value.padEnd(22)} ${t} ${ratio.padEnd(20)} ${old}`;
}

async function main(): Promise<void> {
  const sizes = (process.argv[2] ?? '1000,5000,10000,20000').split(',').map(Number);
  const host = await startHost();
  const b = await launchBrowser({ width: 1200, height: 900 });
  try {
    console.log(
      'service graph panel in headless Chromium (2D canvas, software rendering, 2 shared cores; nothing asserted)',
    );
    console.log(
      `synthetic graphs of n nodes and ${EDGES_PER_NODE}n edges on 50 hosts; times end at the frame after the draw`,
    );
    for (const n of sizes) {
      const now = await measure(b.page, host.url, n, 'semantic zoom');
      const old = await measure(b.page, host.url, n, 'every node');
      const ft = scaled(FIRST_DRAW_TARGET_MS, n, false);
      const it = scaled(INSTANT_TARGET_MS, n, false);
      const pt = scaled(PAN_TARGET_FPS, n, true);
      const of = (v: number, t: number | undefined, higher = false) =>
        t === undefined ? '' : `${(higher ? v / t : v / t).toFixed(2)}x of target`;
      console.log(`  ${n} nodes, ${n * EDGES_PER_NODE} edges (semantic zoom; in brackets: every node drawn)`);
      console.log(
        line(
          'first draw',
          ms(now.first),
          ft,
          of(now.first, ft),
          `[${ms(old.first)}, ${(old.first / now.first).toFixed(1)}x slower]`,
        ),
      );
      console.log(
        line(
          'instant change',
          `${ms(now.instant)} (p95 ${ms(now.instantP95)})`,
          it,
          of(now.instant, it),
          `[${ms(old.instant)}, ${(old.instant / now.instant).toFixed(1)}x slower]`,
        ),
      );
      for (const [label, a, o] of [
        ['pan zoomed out', now.panOut, old.panOut],
        ['pan zoomed in', now.panIn, old.panIn],
      ] as const) {
        console.log(
          line(
            'pan',
            `${a.fps.toFixed(1)} fps (p95 gap ${ms(a.p95)})`,
            pt,
            pt === undefined ? '' : `${(a.fps / pt).toFixed(2)}x of target`,
            `[${o.fps.toFixed(1)} fps] ${label}`,
          ),
        );
      }
    }
    if (b.errors.length) console.log(`page errors: ${b.errors.join('; ')}`);
  } finally {
    await b.close();
    await host.close();
  }
}

main().catch((e: Error) => {
  console.error(e.stack ?? e.message);
  process.exit(1);
});
