// The service graph panel in headless Chromium, loaded by the e2e plugin host the way Grafana loads it: first layout
// and render of 100, 1,000 and 5,000 nodes (5 edges per node), the redraw after moving the instant at 1,000 nodes,
// and frames per second while panning 5,000 nodes with the mouse. Prints figures beside their targets and the peers'
// figures (/work/shared/reference.md); asserts nothing. Needs the built plugins and host (scripts/build.sh).
//
//   node -r ./scripts/register-swc.js bench/panel.bench.ts
import { startHost } from '../e2e/host/server';
import { launchBrowser } from '../e2e/support/browser';
import { syntheticGraph } from '../e2e/support/frames';
import { hostUrl, openHost } from '../e2e/support/host';
import { median, quantile } from './stats';

const FIRST_DRAW_TARGET_MS = 500; // 1,000 nodes
const INSTANT_TARGET_MS = 16; // one frame
const PAN_TARGET_FPS = 30; // 5,000 nodes
/** Grafana's Node Graph shows 200 nodes by default; Weave Scope's UI froze at 60-70 containers and took ~20 s to lay out 500 nodes. */
const NODE_GRAPH_DEFAULT_NODES = 200;
const SCOPE_FROZE_AT = 65;
const SCOPE_LAYOUT_500_MS = 20_000;

const FROM = Date.UTC(2026, 10, 24, 10, 0, 0);
const TO = FROM + 2 * 3600_000;
const SCENE = '[data-testid="timescope-scene"]';

const ms = (v: number): string => `${v.toFixed(1)} ms`;

async function main(): Promise<void> {
  const host = await startHost();
  const b = await launchBrowser({ width: 1200, height: 900 });
  const { page } = b;
  try {
    console.log('service graph panel in headless Chromium (software rendering, 2 shared cores; nothing asserted)');
    console.log('first layout and render (frames handed to the panel -> first canvas draw, then the next frame):');
    for (const n of [100, 1_000, 5_000]) {
      const frames = syntheticGraph(n, FROM, TO);
      const runs = n >= 5_000 ? 3 : 5;
      const drawn: number[] = [];
      const painted: number[] = [];
      for (let r = 0; r < runs; r++) {
        await openHost(page, hostUrl(host.url, { from: FROM, to: TO }));
        const t = await page.evaluate(
          ({ input, selector }) =>
            new Promise<{ drawn: number; painted: number }>((resolve) => {
              document.documentElement.removeAttribute('data-timescope-scene'); // as in Grafana
              const t0 = performance.now();
              const check = () => {
                const at = document.querySelector(selector)?.getAttribute('data-drawn-at');
                if (!at) return false;
                requestAnimationFrame(() => resolve({ drawn: Number(at) - t0, painted: performance.now() - t0 }));
                return true;
              };
              const obs = new MutationObserver(() => check() && obs.disconnect());
              obs.observe(document.body, { subtree: true, childList: true, attributes: true });
              window.timescopeHost.setFrames({ frames: input });
            }),
          { input: frames, selector: SCENE },
        );
        drawn.push(t.drawn);
        painted.push(t.painted);
      }
      const edges = (frames[1].fields[0].values as unknown[]).length;
      let line = `  ${String(n).padStart(5)} nodes, ${String(edges).padStart(6)} edges: drawn ${ms(median(drawn))}, on screen ${ms(median(painted))} (median of ${runs})`;
      if (n === 1_000) {
        line += `; target < ${FIRST_DRAW_TARGET_MS} ms: ${(median(painted) / FIRST_DRAW_TARGET_MS).toFixed(2)}x of it`;
        line += `; Weave Scope laid out 500 nodes in ~${SCOPE_LAYOUT_500_MS / 1000} s: ${(SCOPE_LAYOUT_500_MS / median(painted)).toFixed(0)}x faster with twice the nodes`;
      }
      if (n === 5_000) {
        line += `; ${n / NODE_GRAPH_DEFAULT_NODES}x the ${NODE_GRAPH_DEFAULT_NODES} nodes Grafana's Node Graph shows by default, ${Math.round(n / SCOPE_FROZE_AT)}x the ~${SCOPE_FROZE_AT} at which Weave Scope's UI froze`;
      }
      console.log(line);
    }

    // The instant moved at 1,000 nodes: the key handler, presence, scene and canvas draw, until the draw is done.
    await openHost(page, hostUrl(host.url, { from: FROM, to: TO }));
    await page.evaluate((input) => window.timescopeHost.setFrames({ frames: input }), syntheticGraph(1_000, FROM, TO));
    await page.waitForSelector(`${SCENE}[data-drawn-at]`);
    const instant = await page.evaluate(async (selector) => {
      // As in Grafana: no scene description for tests (the host page asks for one).
      document.documentElement.removeAttribute('data-timescope-scene');
      const panel = document.querySelector('[data-testid="timescope-panel"]') as HTMLElement;
      const wrap = document.querySelector(selector) as HTMLElement;
      const frame = () => new Promise((r) => requestAnimationFrame(r));
      const out: { redraw: number[]; draw: number[] } = { redraw: [], draw: [] };
      // Home/End cross every change of the synthetic history; arrow steps move one query step.
      const keys = [...Array(10).fill(['Home', 'End']).flat(), 'Home', ...Array(20).fill('ArrowRight')] as string[];
      for (const key of keys) {
        await frame();
        const before = Number(wrap.getAttribute('data-draws'));
        const t0 = performance.now();
        panel.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
        // (a move that changes nothing draws nothing: given up after a second, and not counted)
        while (Number(wrap.getAttribute('data-draws')) === before && performance.now() - t0 < 1000) {
          await new Promise((r) => setTimeout(r, 0));
        }
        if (Number(wrap.getAttribute('data-draws')) === before) continue;
        // data-drawn-at is performance.now() at the end of the canvas draw: the latency, without the polling's.
        out.redraw.push(Number(wrap.getAttribute('data-drawn-at')) - t0);
        out.draw.push(Number(wrap.getAttribute('data-draw-ms')));
      }
      return out;
    }, SCENE);
    console.log(
      `instant moved at 1,000 nodes: redrawn in ${ms(median(instant.redraw))} median, ${ms(quantile(instant.redraw, 0.95))} p95, ` +
        `${ms(Math.max(...instant.redraw))} max (canvas draw alone ${ms(median(instant.draw))}) over ${instant.redraw.length} moves; ` +
        `target <= ${INSTANT_TARGET_MS} ms: ${(median(instant.redraw) / INSTANT_TARGET_MS).toFixed(2)}x of it (p95 ${(quantile(instant.redraw, 0.95) / INSTANT_TARGET_MS).toFixed(2)}x)`,
    );

    // Panning 5,000 nodes: the mouse drags the graph; requestAnimationFrame timestamps in the page count the frames.
    await openHost(page, hostUrl(host.url, { from: FROM, to: TO }));
    await page.evaluate((input) => window.timescopeHost.setFrames({ frames: input }), syntheticGraph(5_000, FROM, TO));
    await page.waitForSelector(`${SCENE}[data-drawn-at]`, { timeout: 120_000 });
    const box = (await page.locator(`${SCENE} canvas`).boundingBox())!;
    await page.evaluate((selector) => {
      const w = window as unknown as { panStamps: number[]; panDraws: number; panStop: boolean };
      const wrap = document.querySelector(selector) as HTMLElement;
      w.panStamps = [];
      w.panStop = false;
      w.panDraws = Number(wrap.getAttribute('data-draws'));
      const tick = (t: number) => {
        w.panStamps.push(t);
        if (!w.panStop) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    }, SCENE);
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    for (let round = 0; round < 3; round++) {
      await page.mouse.move(cx + 300, cy + 120, { steps: 60 });
      await page.mouse.move(cx - 300, cy - 120, { steps: 120 });
      await page.mouse.move(cx, cy, { steps: 60 });
    }
    await page.mouse.up();
    const pan = await page.evaluate((selector) => {
      const w = window as unknown as { panStamps: number[]; panDraws: number; panStop: boolean };
      w.panStop = true;
      const wrap = document.querySelector(selector) as HTMLElement;
      const s = w.panStamps;
      const gaps = s.slice(1).map((t, i) => t - s[i]);
      return {
        frames: s.length,
        seconds: (s[s.length - 1] - s[0]) / 1000,
        gaps,
        draws: Number(wrap.getAttribute('data-draws')) - w.panDraws,
        drawMs: Number(wrap.getAttribute('data-draw-ms')),
      };
    }, SCENE);
    const fps = (pan.frames - 1) / pan.seconds;
    console.log(
      `panning 5,000 nodes and 25,000 edges: ${fps.toFixed(1)} frames/s over ${pan.seconds.toFixed(1)} s ` +
        `(${pan.draws} redraws, frame gap p95 ${ms(quantile(pan.gaps, 0.95))}, longest ${ms(Math.max(...pan.gaps))}, last canvas draw ${ms(pan.drawMs)}); ` +
        `target >= ${PAN_TARGET_FPS} fps: ${(fps / PAN_TARGET_FPS).toFixed(2)}x of it`,
    );
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
