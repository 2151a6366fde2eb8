// The panel's readability (issue 13) with the real chain behind it: the 24-hour history in a real Prometheus,
// the built datasource querying it, the built panel in Chromium. Hover tooltips on nodes and edges, the legend,
// the strip's time axis, node-count curve, clustered deploy markers and play button, the crosshair preview, fit,
// reset and bounded zoom, the empty instant, and a deploy's changes nearest the deployed workload first.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DeployMetric, KubernetesMetric, Metric, nodeId } from '@timescope/common';
import {
  createScenario,
  graphAt,
  graphDuring,
  startHistoryPrometheus,
  type History,
  type HistoryPrometheus,
} from '@timescope/common/history';
import { startHost, type RunningHost } from './host/server';
import { launchBrowser, type Browser } from './support/browser';
import { XSS_NAME } from './support/frames';
import { eventually, hostUrl, nodeOnScreen, openHost, readScene, type HostPage, type Scene } from './support/host';

jest.setTimeout(180_000);

const ARTIFACTS = join(__dirname, '..', 'artifacts');
const END = 1_764_000_000; // 2025-11-24 16:00:00 UTC
const H = 3600;
const BURST = 14;
const NODE_RADIUS = 14;

/**
 * The scenario plus: a pod named as markup calling catalogue all day; 14 deploys of catalogue within 5 minutes
 * (as a first commit of many makes them); and a pod with no connection that starts just after the carts deploy,
 * the kind of churn a deploy's diff must not put first.
 */
function history(): History {
  const h = createScenario({ endSec: END });
  const day = { fromSec: h.startSec, toSec: h.endSec + 1 };
  const pod = (name: string, fromSec: number) => ({
    metric: KubernetesMetric.PodInfo,
    labels: {
      node: nodeId.pod('shop', name),
      kind: 'pod',
      name,
      host: 'node-1',
      namespace: 'shop',
      parent: nodeId.host('node-1'),
      pod_ip: '10.244.99.9',
      uid: `uid-${name}`,
      workload: '',
    },
    value: 1,
    fromSec,
    toSec: h.endSec + 1,
  });
  h.series.push(pod(XSS_NAME, h.startSec), {
    metric: Metric.EdgeConnections,
    labels: {
      kind: 'pod',
      source: nodeId.pod('shop', XSS_NAME),
      target: nodeId.pod('shop', 'catalogue-5c7b-c3d4'),
      port: '8081',
      host: '',
    },
    value: 2,
    ...day,
  });
  h.series.push(pod('cron-tick-7c7c-q1q1', h.events.cartsDeploy + 30));
  for (let i = 0; i < BURST; i++) {
    const startSec = h.startSec + 17 * H + i * 20;
    const revision = `${String(i).padStart(2, '0')}`.repeat(20);
    h.series.push({
      metric: DeployMetric.Timestamp,
      labels: {
        id: `burst-${i}`,
        namespace: 'shop',
        workload: 'catalogue',
        kind: 'Deployment',
        revision,
        source: 'git',
        author: 'First Commit',
        subject: `catalogue: part ${i + 1}`,
        url: `https://git.example.com/shop/catalogue/commit/${revision}`,
      },
      value: startSec,
      fromSec: startSec,
      toSec: h.endSec + 1,
    });
  }
  return h;
}

const h = history();
const FROM = h.startSec * 1000;
const TO = h.endSec * 1000;
const STEP = 87_000;
const present = (s: Scene) =>
  s.nodes
    .filter((n) => n.status !== 'removed')
    .map((n) => n.id)
    .sort();

/** Parts of `ms` in the IANA zone `tz`. */
function wall(ms: number, tz: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(ms);
  return Object.fromEntries(parts.map((x) => [x.type, x.value]));
}

describe('a readable panel on the 24-hour history, through the datasource and a real Prometheus', () => {
  let hp: HistoryPrometheus;
  let host: RunningHost;
  let b: Browser;

  const open = async (p: Partial<HostPage> = {}): Promise<Scene> => {
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
    return readScene(b.page, undefined, 60_000);
  };
  const scene = (until?: (s: Scene) => boolean, timeout?: number) => readScene(b.page, until, timeout);
  const view = async () =>
    JSON.parse((await b.page.getAttribute('[data-testid="timescope-scene"]', 'data-view'))!) as {
      scale: number;
      tx: number;
      ty: number;
    };
  const canvasBox = async () => (await b.page.locator('[data-testid="timescope-scene"] canvas').boundingBox())!;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    hp = await startHistoryPrometheus({ history: h });
    host = await startHost({ prometheusUrl: hp.prom.url });
    b = await launchBrowser();
    await b.context.addInitScript(() => {
      const w = window as unknown as { createdImages: number };
      w.createdImages = 0;
      new MutationObserver((records) => {
        for (const r of records)
          r.addedNodes.forEach((n) => {
            if (n instanceof HTMLElement && (n.tagName === 'IMG' || n.querySelector('img'))) w.createdImages++;
          });
      }).observe(document, { childList: true, subtree: true });
    });
  });

  afterAll(async () => {
    await b?.close();
    await host?.close();
    await hp?.prom.stop();
  });

  it('hover shows a tooltip with the name and main stats of a node and of an edge, as text', async () => {
    const { page } = b;
    const live = await open();
    const want = graphAt(h, 'pod', h.endSec);
    const orders = live.nodes.find((n) => n.id === 'pod:shop/orders-66c4-e5f6')!;
    const p = await nodeOnScreen(page, orders);
    await page.mouse.move(p.x, p.y);
    const s = await scene((x) => x.tooltip?.id === orders.id);
    const ins = want.edges.filter((e) => e.endsWith(`->${orders.id}`)).length;
    const outs = want.edges.filter((e) => e.startsWith(`${orders.id}->`)).length;
    expect(s.tooltip).toMatchObject({ entity: 'node', title: 'orders-66c4-e5f6' });
    expect(s.tooltip!.lines).toContain(`connections now: ${ins} in, ${outs} out`);
    const tip = page.locator('[data-testid="timescope-tooltip"]');
    await expect(tip.locator('[data-testid="timescope-tooltip-title"]').textContent()).resolves.toBe(
      'orders-66c4-e5f6',
    );
    await expect(tip.textContent()).resolves.toContain('Inbound edges');

    // An edge: the middle of one whose middle is far from every node.
    const v = await view();
    const box = await canvasBox();
    const at = (id: string) => live.nodes.find((n) => n.id === id)!;
    const screen = (n: { x: number; y: number }) => ({
      x: box.x + n.x * v.scale + v.tx,
      y: box.y + n.y * v.scale + v.ty,
    });
    const edge = live.edges.find((e) => {
      const a = screen(at(e.source));
      const c = screen(at(e.target));
      const m = { x: (a.x + c.x) / 2, y: (a.y + c.y) / 2 };
      return live.nodes.every((n) => Math.hypot(screen(n).x - m.x, screen(n).y - m.y) > 40);
    })!;
    expect(edge).toBeDefined();
    const a = screen(at(edge.source));
    const c = screen(at(edge.target));
    await page.mouse.move((a.x + c.x) / 2, (a.y + c.y) / 2);
    const onEdge = await scene((x) => x.tooltip?.entity === 'edge');
    expect(onEdge.tooltip).toMatchObject({ id: edge.id, title: `${at(edge.source).title} → ${at(edge.target).title}` });
    expect(onEdge.tooltip!.lines.some((l) => /^Connections: \d+/.test(l))).toBe(true);
    await expect(tip.getAttribute('data-entity')).resolves.toBe('edge');

    // The pod named as markup: its tooltip shows the name as typed and creates no element.
    const hostile = live.nodes.find((n) => n.id === nodeId.pod('shop', XSS_NAME))!;
    const hp2 = await nodeOnScreen(page, hostile);
    await page.mouse.move(hp2.x, hp2.y);
    await scene((x) => x.tooltip?.id === hostile.id);
    await expect(tip.locator('[data-testid="timescope-tooltip-title"]').textContent()).resolves.toBe(XSS_NAME);
    expect(await page.evaluate(() => (window as unknown as { createdImages: number }).createdImages)).toBe(0);
    expect(b.dialogs).toEqual([]);

    // Leaving the graph hides it.
    await page.mouse.move(box.x + box.width / 2, box.y - 20);
    await scene((x) => x.tooltip === null);
    await expect(tip.count()).resolves.toBe(0);
  });

  it('leaves room under the bottom row for its labels: none is cut off by the strip', async () => {
    const s = await scene();
    const v = await view();
    const box = await canvasBox();
    const strip = (await b.page.locator('[data-testid="timescope-timeline"]').boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(strip.y + 1);
    const lowest = Math.max(...s.nodes.map((n) => n.y * v.scale + v.ty));
    // a label is drawn 3 px under the node's circle, 12 px tall
    expect(lowest + NODE_RADIUS * v.scale + 3 + 12).toBeLessThanOrEqual(box.height);
  });

  it('has a legend of the node kinds and colours, the diff colours and what edge thickness means', async () => {
    const { page } = b;
    const legend = page.locator('[data-testid="timescope-legend-body"]');
    const text = (await legend.textContent())!;
    expect(text).toContain('pod');
    for (const w of ['added', 'removed (dashed)', 'unchanged (faint)', 'width: connections']) expect(text).toContain(w);
    // The panel with its legend and strip, for the eye (artifacts/ is not committed).
    await page
      .locator('[data-testid="timescope-panel"]')
      .screenshot({ path: join(ARTIFACTS, 'panel-legend-strip.png') });
    await page.click('[data-testid="timescope-legend"] button');
    await expect(legend.count()).resolves.toBe(0);
    await page.click('[data-testid="timescope-legend"] button');
    await expect(legend.count()).resolves.toBe(1);
  });

  it("draws a time axis in the dashboard's time zone and a node-count curve right to the end of the range", async () => {
    const { page } = b;
    const tz = 'America/New_York';
    const live = await open({ tz });
    const { ticks, curve } = live.strip;
    expect(ticks.length).toBeGreaterThanOrEqual(4);
    for (const t of ticks) {
      const w = wall(t.time, tz);
      expect(w.minute + w.second).toBe('0000');
      expect(t.label).toBe(w.hour === '00' ? `${w.month}-${w.day}` : `${w.hour}:00`);
    }
    // NY midnight, not UTC midnight, is the date tick
    expect(ticks.find((t) => /-/.test(t.label))?.time).toBe(Date.UTC(2025, 10, 24, 5));
    const drawn = await page.locator('[data-testid="timescope-axis"] text').allTextContents();
    expect(drawn).toEqual(ticks.map((t) => t.label));

    // The curve is the node count of the pod view at each bucket's end, up to the last one: Live's count.
    expect(curve[curve.length - 1]).toBe(present(live).length);
    const bucketEnd = (i: number) => (i === curve.length - 1 ? TO : FROM + ((i + 1) * (TO - FROM)) / curve.length);
    for (let i = 0; i < curve.length; i += 7) {
      const snapped = FROM + Math.floor((bucketEnd(i) - FROM) / STEP) * STEP;
      expect({ i, n: curve[i] }).toEqual({ i, n: graphAt(h, 'pod', snapped / 1000).nodes.length });
    }
    expect(curve.slice(-10).every((c) => c > 0)).toBe(true);
  });

  it('makes deploys on the same pixels one marker with a count, whose list opens each deploy', async () => {
    const { page } = b;
    const s = await scene();
    const counts = s.strip.markers.map((m) => m.count);
    expect(counts).toContain(BURST);
    expect(counts.reduce((x, y) => x + y, 0)).toBe(h.deploys.length + BURST);
    const cluster = page.locator('[data-testid="timescope-deploy-cluster"]');
    await expect(cluster.count()).resolves.toBe(1);
    await expect(cluster.textContent()).resolves.toBe(String(BURST));
    await cluster.click();
    const entries = page.locator('[data-testid="timescope-deploy-entry"]');
    await expect(entries.count()).resolves.toBe(BURST);
    await expect(entries.nth(4).textContent()).resolves.toContain('shop/catalogue @ 040404040404');
    await entries.nth(4).click();
    const t = h.startSec * 1000 + 17 * H * 1000 + 4 * 20_000;
    const d = await scene((x) => x.baseline !== null);
    expect(d.baseline!).toBeLessThan(t);
    expect(d.instant).toBeGreaterThan(t);
    await expect(page.locator('[data-testid="timescope-deploy"]').textContent()).resolves.toContain(
      'shop/catalogue @ 040404040404',
    );
    await expect(page.locator('[data-testid="timescope-deploy-list"]').count()).resolves.toBe(0);
    await page.focus('[data-testid="timescope-panel"]');
    await page.keyboard.press('Escape');
    await scene((x) => x.baseline === null);
  });

  it("a deploy's diff marks the deployed workload and its neighbours, its changes nearest first", async () => {
    const { page } = b;
    await page.click('[data-testid="timescope-deploy-marker"][aria-label^="Deploy carts"]');
    const s = await scene((x) => x.deploy !== null);
    const carts = ['pod:shop/carts-7d9f-x2x1', 'pod:shop/carts-84b2-k9k9'];
    expect(s.deploy!.deployed.sort()).toEqual(carts);
    // neighbours: the pods carts talks with over the day
    const day = graphDuring(h, 'pod', h.startSec, h.endSec, STEP / 1000).edges;
    const neighbours = new Set(carts);
    for (const e of day) {
      const [src, dst] = e.split('->');
      if (carts.includes(src)) neighbours.add(dst);
      if (carts.includes(dst)) neighbours.add(src);
    }
    expect(s.deploy!.near.sort()).toEqual([...neighbours].sort());
    expect(neighbours.size).toBeGreaterThan(carts.length);
    // the others are dimmed, the workload and its neighbours are not
    for (const n of s.nodes)
      expect({ id: n.id, dimmed: !!n.dimmed }).toEqual({ id: n.id, dimmed: !neighbours.has(n.id) });
    // the changes: carts' pods first, the unconnected cron pod last
    const changes = s.deploy!.changes;
    expect(
      changes
        .slice(0, 2)
        .map((c) => c.id)
        .sort(),
    ).toEqual(carts);
    expect(changes.at(-1)).toMatchObject({ id: 'pod:shop/cron-tick-7c7c-q1q1', status: 'added', distance: -1 });
    const rank = (d: number) => (d < 0 ? Infinity : d);
    expect(changes.map((c) => rank(c.distance))).toEqual(changes.map((c) => rank(c.distance)).sort((x, y) => x - y));
    const chips = await page
      .locator('[data-testid="timescope-change"]')
      .evaluateAll((l) => l.map((e) => e.getAttribute('data-id')));
    expect(chips).toEqual(changes.slice(0, chips.length).map((c) => c.id));
    await expect(page.locator('[data-testid="timescope-change"]').first().textContent()).resolves.toMatch(
      /carts-.* \(deployed\)/,
    );
    await page
      .locator('[data-testid="timescope-panel"]')
      .screenshot({ path: join(ARTIFACTS, 'panel-deploy-changes.png') });
    await page.focus('[data-testid="timescope-panel"]');
    await page.keyboard.press('Escape');
    await scene((x) => x.baseline === null && x.deploy === null);
  });

  it('plays the instant through the range at the chosen speed', async () => {
    const { page } = b;
    await page.selectOption('select[aria-label="Play speed"]', '5');
    await page.click('[data-testid="timescope-play"]');
    const seen: number[] = [];
    const first = await scene((x) => x.playing);
    seen.push(first.instant);
    for (;;) {
      const s = await scene();
      seen.push(s.instant);
      if (!s.playing) break;
      await page.waitForTimeout(200);
    }
    const end = await scene((x) => !x.playing && x.instant === TO);
    expect(end.mode).toBe('travel');
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
    expect(new Set(seen).size).toBeGreaterThan(3);
    expect(seen[0]).toBeLessThan(FROM + (TO - FROM) / 2);
  });

  it("does not follow the other panels' crosshair by default", async () => {
    const { page } = b;
    await open();
    const svg = page.locator('[data-testid="series-panel"] svg');
    const box = (await svg.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await page.mouse.move(box.x + box.width * 0.31, box.y + box.height / 2);
    // the other panel did publish its cursor (it shows it itself)...
    await page.waitForFunction(
      () => !!document.querySelector('[data-testid="series-panel"]')?.getAttribute('data-cursor-time'),
    );
    // ...and the service graph stays Live at the end of the range
    await page.waitForTimeout(500);
    const s = await scene();
    expect(s).toMatchObject({ mode: 'live', instant: TO, preview: false });
  });

  it('fits, resets, and bounds the zoom so the graph never becomes a dot', async () => {
    const { page } = b;
    const s = await scene();
    const fitted = await view();
    const box = await canvasBox();
    const extent = async () => {
      const v = await view();
      const xs = s.nodes.map((n) => n.x * v.scale);
      return Math.max(...xs) - Math.min(...xs);
    };
    const full = await extent();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 40; i++) await page.mouse.wheel(0, 400);
    await eventually(async () => (await view()).scale < fitted.scale, true);
    const out = await view();
    expect(out.scale).toBeGreaterThanOrEqual(fitted.scale / 4 - 1e-9);
    expect(await extent()).toBeGreaterThanOrEqual(full / 4 - 1);
    expect(await extent()).toBeGreaterThan(60);

    await page.getByRole('button', { name: 'Reset' }).click();
    await expect(eventually(view, fitted)).resolves.toEqual(fitted);
    // pan the graph off to a corner, then fit brings every drawn node back inside
    await page.mouse.move(box.x + 30, box.y + box.height - 30);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + 30 + 60 * i, box.y + box.height - 30 - 40 * i);
    await page.mouse.up();
    const panned = JSON.stringify(await view());
    await page.getByRole('button', { name: 'Fit' }).click();
    await eventually(async () => JSON.stringify(await view()) !== panned, true);
    const v = await view();
    for (const n of s.nodes) {
      const x = n.x * v.scale + v.tx;
      const y = n.y * v.scale + v.ty;
      expect({ id: n.id, inside: x >= 0 && x <= box.width && y >= 0 && y <= box.height }).toEqual({
        id: n.id,
        inside: true,
      });
    }
  });

  it('says so when nothing was present at the instant, and draws again when there is', async () => {
    const { page } = b;
    // The range starts two hours before the history does.
    await open({ from: FROM - 2 * H * 1000 });
    await page.focus('[data-testid="timescope-panel"]');
    await page.keyboard.press('Home');
    const s = await scene((x) => x.instant === FROM - 2 * H * 1000);
    expect(s.nodes).toEqual([]);
    expect(s.empty).toBe(`Nothing was present at ${s.instantText}.`);
    const message = page.locator('[data-testid="timescope-message"][data-state="empty"]');
    await expect(message.textContent()).resolves.toContain('Nothing was present at 2025-11-23 14:00:00 UTC');
    await page.keyboard.press('End');
    const back = await scene((x) => x.instant === TO);
    expect(back.empty).toBeNull();
    expect(back.nodes.length).toBeGreaterThan(5);
    await expect(message.count()).resolves.toBe(0);
    expect(b.errors).toEqual([]);
  });
});
