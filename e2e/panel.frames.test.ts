// The panel in a real browser, loaded by the plugin host the way Grafana loads it, drawing frames built by hand
// in the datasource's format: instants, stable positions, the deploy diff, the XSS case, crosshair, states.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startHost, type RunningHost } from './host/server';
import { launchBrowser, type Browser } from './support/browser';
import { shopHistory, XSS_NAME } from './support/frames';
import { eventually, hostUrl, nodeOnScreen, openHost, readScene, setFrames, type Scene } from './support/host';

jest.setTimeout(120_000);

const ARTIFACTS = join(__dirname, '..', '.tmp', 'screenshots');
const shop = shopHistory();
const ids = (s: Scene) =>
  s.nodes
    .filter((n) => n.status !== 'removed')
    .map((n) => n.id)
    .sort();

describe('service graph panel in the browser (hand-made frames)', () => {
  let host: RunningHost;
  let b: Browser;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    host = await startHost();
    b = await launchBrowser();
    await openHost(b.page, hostUrl(host.url, { from: shop.from, to: shop.to, tz: 'utc' }));
    await setFrames(b.page, { frames: shop.frames, annotations: shop.annotations });
  });

  afterAll(async () => {
    await b?.close();
    await host?.close();
  });

  it('shows the graph of each instant and never moves a node that stays', async () => {
    const { page } = b;
    const live = await readScene(page);
    expect(live.mode).toBe('live');
    expect(live.instant).toBe(shop.to);
    expect(ids(live)).toEqual(shop.nodesAt(shop.to).sort());

    await page.click('[data-testid="timescope-panel"] canvas', { position: { x: 5, y: 5 } });
    await page.keyboard.press('Home');
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    const early = await readScene(page, (s) => s.instant === shop.from + 5 * shop.stepMs);
    expect(early.mode).toBe('travel');
    expect(ids(early)).toEqual(shop.nodesAt(early.instant).sort());
    expect(early.nodes.some((n) => n.id.endsWith('/loadgen'))).toBe(false);
    expect(early.instantText).toBe('2026-11-24 10:05:00 UTC');

    // Scrub on the strip to about the middle: loadgen has appeared, everything that stayed is where it was.
    const strip = page.locator('[data-testid="timescope-timeline"]');
    const box = (await strip.boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.25, box.y + 8);
    const mid = await readScene(page, (s) => s.instant !== early.instant);
    expect(Math.abs(mid.instant - (shop.from + 30 * shop.stepMs))).toBeLessThanOrEqual(2 * shop.stepMs);
    expect(ids(mid)).toEqual(shop.nodesAt(mid.instant).sort());
    expect(mid.nodes.some((n) => n.id.endsWith('/loadgen'))).toBe(true);
    const survivors = early.nodes.filter((n) => mid.nodes.some((m) => m.id === n.id));
    expect(survivors.length).toBeGreaterThanOrEqual(7);
    for (const n of survivors) {
      const m = mid.nodes.find((x) => x.id === n.id)!;
      expect([m.x, m.y]).toEqual([n.x, n.y]);
    }
    // ...and the dashboard's time-series panel shows its crosshair at the same instant.
    const cursor = () => page.getAttribute('[data-testid="series-panel"]', 'data-cursor-time');
    expect(await eventually(cursor, String(mid.instant))).toBe(String(mid.instant));
    await page.screenshot({ path: join(ARTIFACTS, 'panel-frames-travel.png') });
  });

  it('jumps to just after a deploy and shows the diff against just before it', async () => {
    const { page } = b;
    await page.click('[data-testid="timescope-deploy-marker"]');
    const s = await readScene(page, (x) => x.baseline !== null);
    expect(s.baseline).toBeLessThan(shop.deployAt);
    expect(s.instant).toBeGreaterThan(shop.deployAt);
    const before = shop.nodesAt(s.baseline!);
    const after = shop.nodesAt(s.instant);
    const byStatus = (st: string) =>
      s.nodes
        .filter((n) => n.status === st)
        .map((n) => n.id)
        .sort();
    expect(byStatus('added')).toEqual(after.filter((id) => !before.includes(id)).sort());
    expect(byStatus('removed')).toEqual(before.filter((id) => !after.includes(id)).sort());
    expect(byStatus('added')).toEqual(['pod:shop/carts-v2']);
    expect(byStatus('removed')).toEqual(['pod:shop/carts-v1']);
    expect(s.counts).toEqual({ addedNodes: 1, removedNodes: 1, addedEdges: 1, removedEdges: 1 });
    await expect(page.locator('[data-testid="timescope-diff-counts"]').textContent()).resolves.toContain('+1 nodes');
    const link = page.locator('[data-testid="timescope-deploy"] a');
    await expect(link.getAttribute('href')).resolves.toBe('https://git.example/shop/commit/4f1c2a9b7d3e');
    await page.screenshot({ path: join(ARTIFACTS, 'panel-frames-diff.png') });
    await page.keyboard.press('Escape');
    await readScene(page, (x) => x.baseline === null);
  });

  it('shows a hostile pod name exactly as typed, in the details pane too, and runs nothing', async () => {
    const { page } = b;
    const s = await readScene(page);
    const node = s.nodes.find((n) => n.id.includes('<img'))!;
    expect(node.title).toBe(XSS_NAME);
    const p = await nodeOnScreen(page, node);
    await page.mouse.click(p.x, p.y);
    const title = page.locator('[data-testid="timescope-details-title"]');
    await expect(title.textContent()).resolves.toBe(XSS_NAME);
    expect(await page.locator('[data-testid="timescope-details"] img').count()).toBe(0);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    await expect(page.locator('[data-testid="timescope-details"]').textContent()).resolves.toContain('Outbound (1)');
    await page.screenshot({ path: join(ARTIFACTS, 'panel-frames-xss.png') });
    expect(b.dialogs).toEqual([]);
    await page.click('[aria-label="Close details"]');
  });

  it('pans with the mouse: every node moves by the drag, and a click still finds its node', async () => {
    const { page } = b;
    // The previous test closed the details pane; wait until that selection no longer fades the others.
    const s = await readScene(page, (x) => x.focus === null && x.selected === null);
    const node = s.nodes.find((n) => n.id === 'workload:shop/Deployment/orders')!;
    const before = await nodeOnScreen(page, node);
    const box = (await page.locator('[data-testid="timescope-scene"] canvas').boundingBox())!;
    const start = { x: box.x + 20, y: box.y + box.height - 20 };
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(start.x + 12 * i, start.y - 4 * i);
    await page.mouse.up();
    const after = await nodeOnScreen(page, node);
    expect([after.x - before.x, after.y - before.y]).toEqual([120, -40]);
    expect((await readScene(page)).nodes.find((n) => n.id === node.id)).toEqual(node);
    await page.screenshot({ path: join(ARTIFACTS, 'panel-frames-panned.png') });
    await page.mouse.click(after.x, after.y);
    await expect(page.locator('[data-testid="timescope-details-title"]').textContent()).resolves.toBe(
      'Deployment/orders',
    );
    await page.click('[aria-label="Close details"]');
  });

  it('highlights the hovered node and its neighbours', async () => {
    const { page } = b;
    const s = await readScene(page, (x) => x.focus === null);
    const fe = s.nodes.find((n) => n.id === 'workload:shop/Deployment/frontend')!;
    const p = await nodeOnScreen(page, fe);
    await page.mouse.move(p.x, p.y);
    const hovered = await readScene(page, (x) => x.focus === fe.id);
    const neighbours = new Set([
      fe.id,
      ...s.edges.flatMap((e) => (e.source === fe.id ? [e.target] : e.target === fe.id ? [e.source] : [])),
    ]);
    expect(
      hovered.nodes
        .filter((n) => !n.faded)
        .map((n) => n.id)
        .sort(),
    ).toEqual([...neighbours].sort());
    expect(neighbours.size).toBeGreaterThan(3);
    await page.mouse.move(p.x, p.y + 400);
    await readScene(page, (x) => x.focus === null && !x.nodes.some((n) => n.faded));
  });

  it('holds the instant in Paused mode while the dashboard moves; Live follows the end of the range', async () => {
    const { page } = b;
    const setRange = (from: number, to: number) =>
      page.evaluate(([f, t]) => window.timescopeHost.setRange(f, t), [from, to]);
    await page.getByRole('radio', { name: 'Live' }).click();
    await readScene(page, (x) => x.mode === 'live' && x.instant === shop.to);
    await setRange(shop.from, shop.to - 30 * shop.stepMs);
    await readScene(page, (x) => x.mode === 'live' && x.instant === shop.to - 30 * shop.stepMs);
    await page.getByRole('radio', { name: 'Paused' }).click();
    const paused = await readScene(page, (x) => x.mode === 'paused');
    expect(paused.instant).toBe(shop.to - 30 * shop.stepMs);
    await setRange(shop.from, shop.to);
    const refreshed = await readScene(page, (x) => x.to === shop.to);
    expect(refreshed).toMatchObject({ mode: 'paused', instant: paused.instant });
    await page.getByRole('radio', { name: 'Live' }).click();
    await readScene(page, (x) => x.mode === 'live' && x.instant === shop.to);
  });

  it('dims what the search does not match', async () => {
    const { page } = b;
    await page.fill('input[aria-label="Search nodes"]', 'kind:pod');
    const s = await readScene(page, (x) => x.nodes.some((n) => n.dimmed));
    expect(s.nodes.filter((n) => !n.dimmed).every((n) => n.kind === 'pod')).toBe(true);
    await page.fill('input[aria-label="Search nodes"]', '');
    await readScene(page, (x) => !x.nodes.some((n) => n.dimmed));
  });

  it('zooms the dashboard around the instant and switches the view through the dashboard variable', async () => {
    const { page } = b;
    const s = await readScene(page);
    await page.click('button:has-text("Zoom")');
    const zoomed = { from: s.instant - (s.to - s.from) / 8, to: s.instant + (s.to - s.from) / 8 };
    expect(await eventually(() => page.evaluate(() => window.timescopeHost.range), zoomed)).toEqual(zoomed);
    await page.selectOption('select[aria-label="View"]', 'pod');
    const view = async () => new URL(page.url()).searchParams.get('var-view');
    expect(await eventually(view, 'pod')).toBe('pod');
  });

  it('says so when there is no data, an error, or too much to draw', async () => {
    const { page } = b;
    const message = page.locator('[data-testid="timescope-message"]');
    // React 18 may show an intermediate message first and render the final one a tick later: wait for each state
    const inState = (state: string) => page.locator(`[data-testid="timescope-message"][data-state="${state}"]`);
    await setFrames(page, { frames: [] });
    await inState('nodata').waitFor();
    await setFrames(page, { frames: [], error: 'bad_data: parse error at char 3' });
    await inState('error').waitFor();
    await expect(message.textContent()).resolves.toContain('parse error at char 3');
    await openHost(
      page,
      hostUrl(host.url, { from: shop.from, to: shop.to, tz: 'Asia/Tokyo', options: { maxNodes: 5 } }),
    );
    await setFrames(page, { frames: shop.frames });
    await inState('toolarge').waitFor();
    await expect(message.getAttribute('data-state')).resolves.toBe('toolarge');
    await expect(page.locator('[data-testid="timescope-instant"]').textContent()).resolves.toBe(
      '2026-11-24 21:00:00 Asia/Tokyo',
    );
    expect(b.errors).toEqual([]);
  });
});
