// The panel with the real chain behind it: the 24-hour history backfilled into a real Prometheus by promtool, the
// built datasource plugin querying it through the host's data proxy, the built panel plugin drawing the result in
// Chromium. Every expectation comes from the history itself (common/src/history/expectations.ts), not from PromQL.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { KubernetesMetric, Metric, nodeId } from '@timescope/common';
import {
  createScenario,
  graphAt,
  graphDiff,
  startHistoryPrometheus,
  type History,
  type HistoryPrometheus,
} from '@timescope/common/history';
import { startHost, type RunningHost } from './host/server';
import { launchBrowser, type Browser } from './support/browser';
import { XSS_NAME } from './support/frames';
import {
  eventually,
  hostUrl,
  nodeOnScreen,
  openHost,
  readScene,
  waitForQueries,
  type HostPage,
  type Scene,
} from './support/host';

jest.setTimeout(180_000);

const SCREENSHOTS = join(__dirname, '..', '.tmp', 'screenshots');
const END = 1_764_000_000; // 2025-11-24 16:00:00 UTC, on the 15 s grid
const H = 3600;

/** The scenario plus a pod whose name is markup, calling catalogue for the whole day. */
function withHostilePod(h: History): History {
  const hostile = nodeId.pod('shop', XSS_NAME);
  const catalogue = nodeId.pod('shop', 'catalogue-5c7b-c3d4');
  const day = { fromSec: h.startSec, toSec: h.endSec + 1 };
  h.series.push(
    {
      metric: KubernetesMetric.PodInfo,
      labels: {
        node: hostile,
        kind: 'pod',
        name: XSS_NAME,
        host: 'node-1',
        namespace: 'shop',
        parent: nodeId.host('node-1'),
        pod_ip: '10.244.99.9',
        uid: 'uid-hostile',
        workload: '',
      },
      value: 1,
      ...day,
    },
    {
      metric: Metric.EdgeConnections,
      labels: { kind: 'pod', source: hostile, target: catalogue, port: '8081', host: '' },
      value: 2,
      ...day,
    },
  );
  return h;
}

const h = withHostilePod(createScenario({ endSec: END }));
const FROM = h.startSec * 1000;
const TO = h.endSec * 1000;
/** The datasource's step for 24 hours: the range over the host's 1,000 data points, in whole seconds (86.4 s up). */
const STEP = 87_000;
const CARTS_URL = h.deploys.find((d) => d.workload === 'carts')!.url;

const present = (s: Scene) =>
  s.nodes
    .filter((n) => n.status !== 'removed')
    .map((n) => n.id)
    .sort();
const presentEdges = (s: Scene) =>
  s.edges
    .filter((e) => e.status !== 'removed')
    .map((e) => e.id)
    .sort();
const withStatus = (list: Array<{ id: string; status: string }>, status: string) =>
  list
    .filter((x) => x.status === status)
    .map((x) => x.id)
    .sort();

/** `ms` written as the panel writes instants (YYYY-MM-DD HH:mm:ss) in the IANA zone `tz`. */
function inZone(ms: number, tz: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(ms);
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

describe('service graph panel on the 24-hour history, through the datasource and a real Prometheus', () => {
  let hp: HistoryPrometheus;
  let host: RunningHost;
  let b: Browser;

  const open = async (p: Partial<HostPage> = {}): Promise<void> => {
    const page: HostPage = {
      from: FROM,
      to: TO,
      tz: 'utc',
      source: 'datasource',
      query: { view: 'pod' },
      jsonData: { scrapeInterval: '15s' },
      ...p,
    };
    await openHost(b.page, hostUrl(host.url, page));
  };
  const firstScene = () =>
    readScene(b.page, undefined, 60_000).catch(async (e) => {
      await shot('open-debug');
      console.log(
        await b.page.evaluate(() => JSON.stringify(window.timescopeHost)),
        await b.page.locator('[data-testid="timescope-panel"]').innerHTML(),
      );
      throw e;
    });
  const strip = () => b.page.locator('[data-testid="timescope-timeline"]');
  const xOf = async (t: number) => {
    const box = (await strip().boundingBox())!;
    return { x: box.x + ((t - FROM) / (TO - FROM)) * box.width, y: box.y + 8 };
  };
  /** Clicks the timeline strip at instant `t`; returns the scene drawn for the instant the panel snapped to. */
  const scrubTo = async (t: number): Promise<Scene> => {
    const { x, y } = await xOf(t);
    await b.page.mouse.click(x, y);
    return readScene(b.page, (s) => s.mode === 'travel' && Math.abs(s.instant - t) <= 2 * STEP);
  };
  const shot = (name: string) => b.page.screenshot({ path: join(SCREENSHOTS, `panel-history-${name}.png`) });

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    hp = await startHistoryPrometheus({ history: h });
    host = await startHost({ prometheusUrl: hp.prom.url });
    b = await launchBrowser();
    // Any <img> element ever created (even one removed again) is recorded: the hostile name must create none.
    await b.context.addInitScript(() => {
      const w = window as unknown as { createdImages: string[] };
      w.createdImages = [];
      new MutationObserver((records) => {
        for (const r of records) {
          r.addedNodes.forEach((n) => {
            if (n instanceof HTMLElement) {
              const imgs = n.tagName === 'IMG' ? [n] : Array.from(n.querySelectorAll('img'));
              imgs.forEach((i) => w.createdImages.push(i.outerHTML));
            }
          });
        }
      }).observe(document, { childList: true, subtree: true });
    });
  });

  afterAll(async () => {
    await b?.close();
    await host?.close();
    await hp?.prom.stop();
  });

  it('draws, at several instants, exactly the graph of the history, and never moves a node that stays', async () => {
    const { page } = b;
    await open();
    const live = await firstScene();
    expect(live).toMatchObject({ mode: 'live', instant: TO, stepMs: STEP, from: FROM, to: TO });
    const want = graphAt(h, 'pod', END);
    expect(present(live)).toEqual(want.nodes);
    expect(presentEdges(live)).toEqual(want.edges);
    expect(new Set(live.nodes.map((n) => n.status))).toEqual(new Set(['present']));
    expect(live.nodes.map((n) => n.kind).every((k) => k === 'pod')).toBe(true);
    const view = await page.getAttribute('[data-testid="timescope-scene"]', 'data-view');

    const scenes = [live];
    const at = [
      h.events.cartsDeploy - 30 * 60,
      h.events.node3Up + H,
      h.events.paymentGone - 30 * 60,
      h.events.paymentGone + 30 * 60,
      h.events.node3Down + H,
    ];
    for (const t of at) {
      const s = await scrubTo(t * 1000);
      expect((s.instant - FROM) % STEP).toBe(0);
      const g = graphAt(h, 'pod', s.instant / 1000);
      expect({ t: s.instant, nodes: present(s), edges: presentEdges(s) }).toEqual({
        t: s.instant,
        nodes: g.nodes,
        edges: g.edges,
      });
      scenes.push(s);
    }
    const [, beforeDeploy, node3, beforePaymentGone, afterPaymentGone, afterNode3] = scenes.map(present);
    expect(beforeDeploy).toContain('pod:shop/carts-7d9f-x2x1');
    expect(beforeDeploy).not.toContain('pod:shop/carts-84b2-k9k9');
    expect(node3).not.toContain('pod:shop/shipping-4f2e-i9j0');
    expect(beforePaymentGone).toContain('pod:shop/payment-59aa-g7h8');
    expect(afterPaymentGone).not.toContain('pod:shop/payment-59aa-g7h8');
    expect(afterNode3).not.toContain('pod:shop/shipping-4f2e-i9j0');
    expect(scenes[3].nodes.length).toBeGreaterThan(scenes[5].nodes.length);

    // Drag along the strip from the first instant to the middle of the day, reading the scene on the way.
    const start = await xOf(at[0] * 1000);
    const end = await xOf((h.events.shippingDeploy + H) * 1000);
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) {
      await page.mouse.move(start.x + ((end.x - start.x) * i) / 10, start.y);
      if (i % 3 === 0) scenes.push(await readScene(page));
    }
    await page.mouse.up();
    const dragged = await readScene(
      page,
      (s) => Math.abs(s.instant - (h.events.shippingDeploy + H) * 1000) <= 2 * STEP,
    );
    expect(present(dragged)).toContain('pod:shop/shipping-4f2e-i9j0');
    expect(present(dragged)).toEqual(graphAt(h, 'pod', dragged.instant / 1000).nodes);
    scenes.push(dragged);

    // Positions: one layout for the whole range, so a node has the same position in every scene it is in.
    const positions = new Map<string, [number, number]>();
    let compared = 0;
    for (const s of scenes) {
      for (const n of s.nodes) {
        const p = positions.get(n.id);
        if (p) {
          expect({ id: n.id, at: [n.x, n.y] }).toEqual({ id: n.id, at: p });
          compared++;
        } else positions.set(n.id, [n.x, n.y]);
      }
    }
    expect(compared).toBeGreaterThan(50);
    // ...and the view was not refitted: the nodes stayed where they were on the screen too.
    expect(await page.getAttribute('[data-testid="timescope-scene"]', 'data-view')).toBe(view);

    // The shared crosshair: the time-series panel shows its cursor at the panel's instant.
    const cursor = () => page.getAttribute('[data-testid="series-panel"]', 'data-cursor-time');
    expect(await eventually(cursor, String(dragged.instant))).toBe(String(dragged.instant));
    await shot('travel');
  });

  it('clicking a deploy marker moves to just after it and shows the diff against just before it', async () => {
    const { page } = b;
    await page.click('[data-testid="timescope-deploy-marker"][aria-label^="Deploy carts"]');
    const s = await readScene(page, (x) => x.baseline !== null);
    const deploy = h.deploys.find((d) => d.workload === 'carts')!;
    expect(s.baseline!).toBeLessThan(deploy.startSec * 1000);
    expect(s.baseline!).toBeGreaterThan(deploy.startSec * 1000 - STEP - 1);
    // the first instant whose cell (the step up to it) begins at or after the deploy's end
    expect(s.instant - STEP).toBeGreaterThanOrEqual(deploy.end!.sec * 1000);
    expect(s.instant).toBeLessThanOrEqual(deploy.end!.sec * 1000 + 2 * STEP);
    const want = graphDiff(h, 'pod', s.baseline! / 1000, s.instant / 1000);
    expect({
      addedNodes: withStatus(s.nodes, 'added'),
      removedNodes: withStatus(s.nodes, 'removed'),
      addedEdges: withStatus(s.edges, 'added'),
      removedEdges: withStatus(s.edges, 'removed'),
    }).toEqual({
      addedNodes: want.addedNodes.sort(),
      removedNodes: want.removedNodes.sort(),
      addedEdges: want.addedEdges.sort(),
      removedEdges: want.removedEdges.sort(),
    });
    expect(want.addedNodes).toEqual(['pod:shop/carts-84b2-k9k9']);
    expect(want.removedNodes).toEqual(['pod:shop/carts-7d9f-x2x1']);
    expect(s.counts).toEqual({
      addedNodes: want.addedNodes.length,
      removedNodes: want.removedNodes.length,
      addedEdges: want.addedEdges.length,
      removedEdges: want.removedEdges.length,
    });
    const unchanged = withStatus(s.nodes, 'unchanged');
    expect(unchanged.length).toBeGreaterThan(3);

    // The deploy and its commit, one click away, in the diff bar...
    const bar = page.locator('[data-testid="timescope-deploy"]');
    await expect(bar.textContent()).resolves.toContain('shop/carts @ a1b2c3d4e5f6');
    await expect(bar.locator('a').getAttribute('href')).resolves.toBe(CARTS_URL);
    await shot('deploy-diff');

    // ...and in the new pod's details, among this workload's deploys.
    const pod = s.nodes.find((n) => n.id === 'pod:shop/carts-84b2-k9k9')!;
    const p = await nodeOnScreen(page, pod);
    await page.mouse.click(p.x, p.y);
    const details = page.locator('[data-testid="timescope-details"]');
    await expect(page.locator('[data-testid="timescope-details-title"]').textContent()).resolves.toBe(
      'carts-84b2-k9k9',
    );
    await expect(details.locator(`a[href="${CARTS_URL}"]`).count()).resolves.toBe(1);
    await shot('deploy-details');
    // The panel alone, as the README shows it (docs/img/panel.png is a copy of this file).
    await page
      .locator('[data-testid="timescope-panel"]')
      .screenshot({ path: join(SCREENSHOTS, 'panel-history-readme.png') });
    // The data links: Explore with the PromQL for this node.
    const explore = await details.locator('a[href*="/explore"]').evaluateAll((as) => as.map((a) => a.textContent));
    expect(explore).toEqual(['CPU in Explore', 'Memory in Explore']);
    // Their PromQL is valid for this Prometheus.
    const hrefs = await details
      .locator('a[href*="/explore"]')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    for (const href of hrefs) {
      const panes = JSON.parse(new URL(href!, host.url).searchParams.get('panes')!) as {
        a: { queries: Array<{ expr: string }> };
      };
      const expr = panes.a.queries[0].expr.replace('$__rate_interval', '1m');
      expect(expr).toContain('pod:shop/carts-84b2-k9k9');
      await expect(hp.prom.api('query', { query: expr, time: s.instant / 1000 })).resolves.toBeDefined();
    }
    await page.click('[aria-label="Close details"]');
    await page.focus('[data-testid="timescope-panel"]');
    await page.keyboard.press('Escape');
    await readScene(page, (x) => x.baseline === null);
  });

  it('shows a pod named as markup exactly as typed, creates no element from it and runs nothing', async () => {
    const { page } = b;
    const s = await readScene(page);
    const node = s.nodes.find((n) => n.id === nodeId.pod('shop', XSS_NAME));
    expect(node?.title).toBe(XSS_NAME);
    const p = await nodeOnScreen(page, node!);
    await page.mouse.click(p.x, p.y);
    await expect(page.locator('[data-testid="timescope-details-title"]').textContent()).resolves.toBe(XSS_NAME);
    await expect(page.locator('[data-testid="timescope-details"]').textContent()).resolves.toContain(
      `pod:shop/${XSS_NAME}`,
    );
    // The search box takes the name as text too.
    await page.fill('input[aria-label="Search nodes"]', XSS_NAME);
    const searched = await readScene(page, (x) => x.nodes.some((n) => n.dimmed));
    expect(searched.nodes.filter((n) => !n.dimmed).map((n) => n.id)).toEqual([nodeId.pod('shop', XSS_NAME)]);
    await shot('xss');
    await page.fill('input[aria-label="Search nodes"]', '');
    await page.click('[aria-label="Close details"]');
    const created = await page.evaluate(() => (window as unknown as { createdImages: string[] }).createdImages);
    expect(created).toEqual([]);
    expect(await page.locator('img').count()).toBe(0);
    expect(b.dialogs).toEqual([]);
    expect(b.errors).toEqual([]);
  });

  it('arrow keys step the instant by one query step, written in the dashboard time zone', async () => {
    const { page } = b;
    const tz = 'America/New_York';
    await open({ tz });
    const live = await firstScene();
    expect(live.instantText).toBe(`${inZone(TO, tz)} ${tz}`);
    expect(live.instantText).toBe('2025-11-24 11:00:00 America/New_York');
    await page.focus('[data-testid="timescope-panel"]');
    await page.keyboard.press('Home');
    await readScene(page, (s) => s.instant === FROM);
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    const right = await readScene(page, (s) => s.instant === FROM + 3 * STEP);
    expect(right.instantText).toBe(`${inZone(FROM + 3 * STEP, tz)} ${tz}`);
    await page.keyboard.press('ArrowLeft');
    const left = await readScene(page, (s) => s.instant === FROM + 2 * STEP);
    expect(left.mode).toBe('travel');
    expect(present(left)).toEqual(graphAt(h, 'pod', left.instant / 1000).nodes);
    // A deploy marker says its instant in the same zone.
    const label = await page.getAttribute('[aria-label^="Deploy carts"]', 'aria-label');
    expect(label).toBe(`Deploy carts a1b2c3d4e5f6 at ${inZone(h.events.cartsDeploy * 1000, tz)}`);
  });

  it('follows the crosshair of the other panels when the option is on: a preview that leaves Live as it was', async () => {
    const { page } = b;
    await open({ options: { followCrosshair: true } });
    await firstScene();
    const svg = page.locator('[data-testid="series-panel"] svg');
    const box = (await svg.boundingBox())!;
    const fraction = (h.events.paymentGone + 2 * H - h.startSec) / (24 * H);
    await page.mouse.move(box.x + fraction * box.width, box.y + box.height / 2);
    const t = FROM + fraction * (TO - FROM);
    // Issue 13: hovering another graph no longer switches the panel to Travel; Live shows the hovered instant...
    const s = await readScene(page, (x) => Math.abs(x.instant - t) < 2 * STEP);
    expect(s.mode).toBe('live');
    await expect(page.locator('[data-testid="timescope-preview"]').count()).resolves.toBe(1);
    expect(present(s)).toEqual(graphAt(h, 'pod', s.instant / 1000).nodes);
    expect(present(s)).not.toContain('pod:shop/payment-59aa-g7h8');
    // ...and returns to the end of the range when the cursor leaves.
    await page.mouse.move(box.x + box.width / 2, box.y - 40);
    const back = await readScene(page, (x) => x.instant === TO);
    expect(back.mode).toBe('live');
    await expect(page.locator('[data-testid="timescope-preview"]').count()).resolves.toBe(0);
    expect(present(back)).toEqual(graphAt(h, 'pod', END).nodes);
  });

  it('the view switch sets the dashboard variable and the datasource query runs again with it', async () => {
    const { page } = b;
    // As the provisioned dashboard does: the query's view is the variable the switch sets.
    await open({ vars: { view: 'pod' }, query: { view: '$view' } });
    const pods = await firstScene();
    expect(new Set(pods.nodes.map((n) => n.kind))).toContain('pod');
    expect(pods.nodes.some((n) => n.kind === 'process')).toBe(false);
    await expect(page.locator('select[aria-label="View"]').inputValue()).resolves.toBe('pod');
    const queries = await page.evaluate(() => window.timescopeHost.queries);
    const proxied = host.proxied;
    await page.selectOption('select[aria-label="View"]', 'process');
    await waitForQueries(page, queries + 1);
    const last = await page.evaluate(() => window.timescopeHost.lastQuery);
    expect(last?.vars.view).toBe('process');
    expect(host.proxied).toBeGreaterThan(proxied);
    expect(new URL(page.url()).searchParams.get('var-view')).toBe('process');
    // ...and the graph is now the process view.
    const processes = await readScene(page, (s) => s.nodes.some((n) => n.kind === 'process'), 60_000);
    expect(processes.nodes.some((n) => n.kind === 'pod')).toBe(false);
  });

  it('says so when there is no data, when the datasource fails, and when the graph is too large', async () => {
    const { page } = b;
    const message = page.locator('[data-testid="timescope-message"]');

    await open({ query: { view: 'pod', namespace: 'no-such-namespace' } });
    await expect(eventually(() => message.getAttribute('data-state'), 'nodata', 60_000)).resolves.toBe('nodata');
    await expect(message.textContent()).resolves.toContain('No data');
    // ...with the datasource's own explanation.
    await expect(message.textContent()).resolves.toContain('No pod nodes found in this time range');
    await shot('nodata');

    await open({ query: { view: 'pod', name: '(' } });
    await expect(eventually(() => message.getAttribute('data-state'), 'error', 60_000)).resolves.toBe('error');
    await expect(message.textContent()).resolves.toContain('not a valid regex');

    await open();
    await firstScene();
    host.setPrometheus('http://127.0.0.1:1');
    try {
      await page.evaluate(([f, t]) => window.timescopeHost.setRange(f, t), [FROM, TO - 60_000]);
      await expect(eventually(() => message.getAttribute('data-state'), 'error', 60_000)).resolves.toBe('error');
      await expect(message.textContent()).resolves.toMatch(/^Datasource error: .+/);
      await expect(message.getAttribute('role')).resolves.toBe('alert');
      await shot('error');
    } finally {
      host.setPrometheus(hp.prom.url);
    }

    await open({ options: { maxNodes: 5 } });
    await expect(eventually(() => message.getAttribute('data-state'), 'toolarge', 60_000)).resolves.toBe('toolarge');
    await expect(message.textContent()).resolves.toMatch(/Too large to draw: \d+ nodes/);
    expect(b.errors).toEqual([]);
  });
});
