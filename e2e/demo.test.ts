// The README's main command end to end: the demo orchestrator (what `npm start` runs after setup and build) with a
// short timeline on free ports. Where the shop can run as pods (root, cgroups), the exporter's Kubernetes source
// watches the demo's API stand-in: the pod, workload and service levels must have the shop's edges, and the
// scripted release of orders must be a rollout (a Kubernetes deploy event) as well as a commit, whose diff marks the
// orders workload and its neighbours and lists its changes nearest first. After the scripted "new dependency" deploy, Prometheus must show the edge
// orders -> fraud-check from after the deploy's commit instant and never before, with the deploy annotation query of
// docs/metrics.md returning that instant. The preview (the plugin host running both plugins against the demo's
// Prometheus) must show the same in the browser: no edge before the deploy, the edge after it, and the deploy's
// marker leading to a diff in which the edge is added. Ctrl-C (SIGINT) must then stop every process it started.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { waitFor } from '@timescope/common/testing';
import { launchBrowser, type Browser } from './support/browser';
import { VIEWS } from '@timescope/common';
import { openHost, readScene, waitForQueries, type Scene } from './support/host';
import { clusterSupport } from '../demo/src/preflight';

jest.setTimeout(420_000); // the timeline, the preview, the refresh and a screenshot of each view

const ROOT = resolve(__dirname, '..');
const MAIN = join(ROOT, 'demo', 'dist', 'main.js');
const ARTIFACTS = join(ROOT, '.tmp', 'screenshots');

interface Status {
  hostname: string;
  urls: { prometheus?: string; preview?: string };
  ports: Record<string, number>;
  deploys: { id: string; commit: { sha: string; time: number }; appliedAtMs: number }[];
  missingExporterFlags: string[];
  cluster?: { apiServer: string; kubeconfig: string; namespace: string };
  views: { shown: string[]; missing?: { views: string[]; reason: string } };
}

/** Whether the demo can run its shop as pods on this machine (as it decides itself). */
const asPods = clusterSupport('timescope-demo-e2e-probe');

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A process node id as the demo's processes have it: in their pod's container (`@<12 hex>`) or not. */
const isProcess = (id: string, key: string): boolean =>
  id === key || new RegExp(`^${escapeRe(key)}@[0-9a-f]{12}$`).test(id);
/** The PromQL matcher value for the same (a regex; backslashes doubled inside the PromQL string). */
const processRe = (key: string): string => `${escapeRe(key)}(@[0-9a-f]{12})?`.replace(/\\/g, '\\\\');

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the demo (npm start)', () => {
  const state = mkdtempSync(join(tmpdir(), 'timescope-e2e-demo-'));
  let demo: ChildProcess | undefined;
  let out = '';

  let browser: Browser | undefined;

  afterAll(async () => {
    await browser?.close();
    // Whatever happened, nothing of the demo's process group may outlive the test.
    if (demo?.pid && groupAlive(demo.pid)) process.kill(-demo.pid, 'SIGKILL');
    rmSync(state, { recursive: true, force: true });
  });

  async function query(prom: string, q: string, time: number): Promise<Sample[]> {
    const r = await fetch(`${prom}/api/v1/query?${new URLSearchParams({ query: q, time: String(time) })}`);
    const body = (await r.json()) as { status: string; data: { result: Sample[] }; error?: string };
    if (body.status !== 'success') throw new Error(`${q}: ${body.error}`);
    return body.data.result;
  }

  it('shows the new dependency after its deploy and not before, then stops everything on Ctrl-C', async () => {
    expect(existsSync(MAIN)).toBe(true); // built by scripts/build.sh, as npm start does
    const args = ['--short', '--base-port=0', '--exporter.port=0', '--prometheus.port=0', '--preview.port=0'];
    demo = spawn(process.execPath, [MAIN, ...args, `--state-dir=${join(state, 'demo')}`], {
      cwd: ROOT,
      detached: true, // its own process group, to check that nothing is left behind
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    demo.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    demo.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => demo?.once('exit', (code) => r(code)));

    const statusFile = join(state, 'demo', 'status.json');
    const status = await waitFor(
      'the new-dependency deploy',
      async () => {
        if (demo?.exitCode !== null) throw new Error(`demo exited: ${out}`);
        const s = JSON.parse(readFileSync(statusFile, 'utf8')) as Status;
        return s.deploys.some((d) => d.id === 'new-dependency') && s;
      },
      90_000,
    );
    expect(out).toContain('Timescope demo is running');
    const prom = status.urls.prometheus as string;
    expect(out).toContain(prom);
    const deploy = status.deploys.find((d) => d.id === 'new-dependency') as Status['deploys'][number];
    const t = deploy.commit.time; // the commit's instant (git's seconds), which the git watcher records
    const host = status.hostname;
    const orders = `process:${host}/orders[${status.ports.orders}]`;
    const fraud = `process:${host}/fraud-check[${status.ports['fraud-check']}]`;
    const edge = `timescope_edge_connections{kind="process",source=~"${processRe(orders)}",target=~"${processRe(fraud)}"}`;

    // The edge shows up (the load reaches orders, which now calls fraud-check)...
    const firstSeen = await waitFor('the orders -> fraud-check edge in Prometheus', async () => {
      const r = await query(prom, `min_over_time(timestamp(${edge})[5m:1s])`, Date.now() / 1000);
      return r.length > 0 && r;
    });
    // ...first seen after the deploy's instant, and absent from the demo's start up to that instant.
    expect(firstSeen).toHaveLength(1);
    expect(Number(firstSeen[0].value[1])).toBeGreaterThanOrEqual(t);
    expect(await query(prom, `max_over_time(${edge}[5m])`, t)).toEqual([]);
    // The edges that existed before the deploy were there at its instant (the query itself is sound).
    const before = await query(
      prom,
      `last_over_time(timescope_edge_connections{kind="process",source=~"${processRe(orders)}"}[2s])`,
      t,
    );
    expect(before.length).toBeGreaterThan(0);

    // Every flag the demo gives the exporter exists (the git watcher records the deploys).
    expect(status.missingExporterFlags).toEqual([]);
    // The dashboards' deploy annotation query (docs/metrics.md) puts orders' deploy at that instant.
    const annotations = await waitFor('the deploy annotation of orders', async () => {
      const q =
        'max by (namespace, workload, revision) (last_over_time(timescope_deploy_timestamp_seconds[5m])) * 1000';
      const r = await query(prom, q, Date.now() / 1000);
      return r.filter((s) => s.metric.workload === 'orders' && s.metric.revision === deploy.commit.sha).length > 0 && r;
    });
    const ordersDeploy = annotations.find(
      (s) => s.metric.workload === 'orders' && s.metric.revision === deploy.commit.sha,
    );
    expect(Number(ordersDeploy?.value[1])).toBe(t * 1000);
    expect(ordersDeploy?.metric.namespace).toBe('shop');

    if (asPods.ok) await checkCluster(status, prom);
    else expect(status.views.missing?.reason).toBe(asPods.reason);

    await checkPreview(status, { orders, fraud, deployMs: t * 1000, sha: deploy.commit.sha });
    await stopAndCheck();

    // Ctrl-C: every process of the demo's group stops, and the demo says so.
    async function stopAndCheck(): Promise<void> {
      process.kill(-(demo?.pid as number), 'SIGINT');
      expect(await exited).toBe(0);
      await waitFor('every demo process to exit', async () => !groupAlive(demo?.pid as number), 15_000);
      expect(out).toContain('stopped');
    }
  });

  /** The preview page in Chromium: the graph before and after the deploy, and the deploy marker's diff. */
  async function checkPreview(
    status: Status,
    p: { orders: string; fraud: string; deployMs: number; sha: string },
  ): Promise<void> {
    const preview = new URL(status.urls.preview as string);
    // the preview opens on the workload view when the shop runs as pods: these checks are on its processes
    expect(JSON.parse(preview.searchParams.get('query') ?? '{}').view).toBe(asPods.ok ? 'workload' : 'process');
    preview.searchParams.set('query', JSON.stringify({ view: 'process', idleProcesses: 'hide' }));
    const hasEdge = (s: Scene) =>
      s.edges.some((e) => isProcess(e.source, p.orders) && isProcess(e.target, p.fraud) && e.status !== 'removed');
    const open = async (toMs: number): Promise<Scene> => {
      preview.searchParams.set('to', String(toMs));
      await openHost(page, preview.toString());
      try {
        return await readScene(page, (s) => s.nodes.some((n) => isProcess(n.id, p.orders)), 60_000);
      } catch (e) {
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: join(ARTIFACTS, 'demo-preview-failure.png') });
        throw e;
      }
    };
    browser = await launchBrowser();
    const page = browser.page;

    const before = await open(p.deployMs - 1000);
    expect(before.nodes.some((n) => isProcess(n.id, p.fraud) && n.status !== 'removed')).toBe(false);
    expect(hasEdge(before)).toBe(false);

    const after = await waitFor('the orders -> fraud-check edge in the preview', async () => {
      const s = await open(Date.now());
      return hasEdge(s) && s;
    });
    expect(after.mode).toBe('live');

    // The orders deploy's marker: the panel moves to just after it and diffs against just before it.
    // (fraud-check's marker stands at the same instant, on top: the click goes to the element itself)
    // Deploys a few seconds apart share a pixel: their cluster opens a list whose entry is clicked instead.
    await clickDeploy(page, `Deploy orders ${p.sha.slice(0, 12)}`);
    let diff = await readScene(page, (s) => s.baseline !== null && s.counts !== null);
    expect(diff.baseline as number).toBeLessThan(p.deployMs);
    expect(diff.instant).toBeGreaterThanOrEqual(p.deployMs);
    // The commit is the deploy's instant; orders restarts and calls fraud-check moments later: step forward (the
    // diff's baseline stays) until the edge is there, and it must be new against the instant before the deploy.
    await page.focus('[data-testid="timescope-panel"]');
    for (let i = 0; i < 60 && !hasEdge(diff); i++) {
      const at = diff.instant;
      await page.keyboard.press('ArrowRight');
      diff = await readScene(page, (s) => s.instant !== at || s.instant === s.to);
      if (diff.instant === diff.to) break;
    }
    expect(diff.baseline as number).toBeLessThan(p.deployMs);
    expect(diff.edges.find((e) => isProcess(e.source, p.orders) && isProcess(e.target, p.fraud))?.status).toBe('added');

    // The refresh picker at 5s: with the range ending now, the scene's end (and Live with it) advances, no reload.
    preview.searchParams.delete('to');
    preview.searchParams.set('refresh', '5s');
    await openHost(page, preview.toString());
    await page.evaluate(() => Object.assign(window, { timescopeNoReload: true }));
    const first = await readScene(page, (s) => s.nodes.some((n) => isProcess(n.id, p.orders)), 60_000);
    const later = await readScene(page, (s) => s.to > first.to, 60_000);
    // the page names the demo's Kubernetes API as a stand-in (or says why the cluster views are empty)
    const note = await page.locator('[data-testid="host-note"]').textContent();
    expect(note).toContain(asPods.ok ? 'Kubernetes API server is a stand-in' : asPods.reason);
    expect(later.mode).toBe('live');
    expect(later.instant).toBeGreaterThan(first.instant);
    expect(await page.evaluate(() => (window as unknown as { timescopeNoReload?: boolean }).timescopeNoReload)).toBe(
      true,
    );

    expect(browser.errors).toEqual([]);

    // A screenshot of every view of the demo (artifacts); the shop's processes and its host have nodes, and, as
    // pods, its pods, workloads and services have the shop's edges. (Without a cluster the container, pod, workload
    // and service views are empty: the screenshots show what the user sees then.)
    const shown = await viewScreenshots(page, preview);
    const count = (v: string): number => shown[v]?.nodes.length ?? 0;
    expect({ host: count('host') > 0, process: count('process') > 0 }).toEqual({ host: true, process: true });
    if (!asPods.ok) return;
    const edgeIds = (v: string): string[] => (shown[v]?.edges ?? []).map((e) => `${e.source} -> ${e.target}`);
    const w = (n: string): string => `workload:shop/Deployment/${n}`;
    expect(edgeIds('workload')).toEqual(
      expect.arrayContaining([`${w('front-end')} -> ${w('orders')}`, `${w('orders')} -> ${w('fraud-check')}`]),
    );
    expect(edgeIds('service')).toEqual(
      expect.arrayContaining([
        'service:shop/front-end -> service:shop/orders',
        'service:shop/orders -> service:shop/fraud-check',
      ]),
    );
    expect(edgeIds('pod')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^pod:shop\/orders-[a-z0-9]{10}-[a-z0-9]{5} -> pod:shop\/fraud-check-/),
      ]),
    );
    expect(count('container')).toBeGreaterThan(0);

    // The rollout of orders (the Kubernetes source's deploy event, revision 2) in the workload view: its diff marks
    // the orders workload and its neighbours, and lists the changes nearest it first.
    const workloads = new URL(preview.toString());
    workloads.searchParams.set('query', JSON.stringify({ view: 'workload' }));
    workloads.searchParams.set('to', String(Date.now()));
    await openHost(page, workloads.toString());
    await readScene(page, (s) => s.nodes.some((n) => n.id === w('orders')), 60_000);
    await clickDeploy(page, 'Deploy orders 2 at');
    let focus = await readScene(page, (s) => s.deploy !== null && s.baseline !== null);
    expect(focus.deploy?.deployed).toEqual([w('orders')]);
    const neighbours = ['front-end', 'carts', 'user', 'payment', 'shipping', 'orders-db'].map(w);
    expect(focus.deploy?.near).toEqual(expect.arrayContaining([w('orders'), ...neighbours]));
    expect(focus.deploy?.near).not.toContain(w('catalogue-db'));
    // step on until the new dependency is in the diff: fraud-check is a neighbour, its changes come first
    await page.focus('[data-testid="timescope-panel"]');
    const hasFraud = (s: Scene) => !!s.deploy?.changes.some((c) => c.id === w('fraud-check'));
    for (let i = 0; i < 60 && !hasFraud(focus); i++) {
      const at = focus.instant;
      await page.keyboard.press('ArrowRight');
      focus = await readScene(page, (s) => s.instant !== at || s.instant === s.to);
      if (focus.instant === focus.to) break;
    }
    const changes = focus.deploy?.changes ?? [];
    expect(changes.find((c) => c.id === w('fraud-check'))).toMatchObject({ status: 'added', distance: 1 });
    const rank = (d: number) => (d < 0 ? Infinity : d);
    expect(changes.map((c) => rank(c.distance))).toEqual(changes.map((c) => rank(c.distance)).sort((x, y) => x - y));
    await page
      .locator('[data-testid="timescope-panel"]')
      .screenshot({ path: join(ARTIFACTS, 'demo-rollout-diff.png') });
  }

  /** The pod, workload and service edges of the shop in Prometheus, and the rollouts as deploy events. */
  async function checkCluster(status: Status, prom: string): Promise<void> {
    expect(status.cluster?.apiServer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(status.views.shown).toEqual(['host', 'process', 'container', 'pod', 'workload', 'service']);
    expect(out).toContain('STAND-IN');
    const now = (): number => Date.now() / 1000;
    const edges = async (kind: string): Promise<string[]> =>
      (await query(prom, `last_over_time(timescope_edge_connections{kind="${kind}"}[5s])`, now())).map(
        (s) => `${s.metric.source} -> ${s.metric.target}`,
      );
    const w = (n: string): string => `workload:shop/Deployment/${n}`;
    await waitFor('the workload and service edges of orders -> fraud-check', async () => {
      const [wl, svc, pod] = [await edges('workload'), await edges('service'), await edges('pod')];
      return (
        wl.includes(`${w('orders')} -> ${w('fraud-check')}`) &&
        wl.includes(`${w('loadgen')} -> ${w('front-end')}`) &&
        svc.includes('service:shop/orders -> service:shop/fraud-check') &&
        pod.some((e) => /^pod:shop\/orders-\w+-\w+ -> pod:shop\/fraud-check-\w+-\w+$/.test(e))
      );
    });
    // the releases of catalogue and orders are rollouts recorded by the exporter's Kubernetes source
    const rollouts = await waitFor('the rollouts of catalogue and orders', async () => {
      const r = await query(prom, 'last_over_time(timescope_deploy_timestamp_seconds{source="kubernetes"}[5m])', now());
      const names = r.map((s) => `${s.metric.workload}@${s.metric.revision}`).sort();
      return names.includes('catalogue@2') && names.includes('orders@2') && r;
    });
    expect(rollouts.every((s) => s.metric.namespace === 'shop' && s.metric.kind === 'Deployment')).toBe(true);
    // the new version's pods replaced the old ones: one catalogue pod now, of the new ReplicaSet
    const pods = await query(prom, 'last_over_time(timescope_pod_info{namespace="shop"}[2s])', now() - 1);
    expect(pods.filter((s) => s.metric.workload === w('catalogue'))).toHaveLength(1);
  }

  /** Clicks the deploy marker whose label starts with `label`, through its cluster's list when it shares a pixel. */
  async function clickDeploy(page: Browser['page'], label: string): Promise<void> {
    const sel = `[aria-label^="${label}"]`;
    const marker = page.locator(`[data-testid="timescope-deploy-marker"]${sel}`);
    const clusters = page.locator('[data-testid="timescope-deploy-cluster"]');
    // the markers come with the annotations, which may answer after the scene is drawn: wait for the marker or a
    // cluster to be there before choosing between them
    await marker.or(clusters).first().waitFor({ timeout: 60_000 });
    if ((await marker.count()) > 0) return marker.first().dispatchEvent('click');
    const entry = page.locator(`[data-testid="timescope-deploy-entry"]${sel}`);
    for (const cluster of await clusters.all()) {
      if ((await entry.count()) > 0) break;
      await cluster.dispatchEvent('click');
      if ((await entry.count()) > 0) break;
      await cluster.dispatchEvent('click'); // closes it again
    }
    await entry.first().dispatchEvent('click');
  }

  /** Each view of the preview at the demo's last instant, saved under .tmp/screenshots; its scene. */
  async function viewScreenshots(page: Browser['page'], preview: URL): Promise<Record<string, Scene | null>> {
    mkdirSync(ARTIFACTS, { recursive: true });
    const counts: Record<string, Scene | null> = {};
    preview.searchParams.delete('refresh');
    preview.searchParams.set('to', String(Date.now()));
    for (const view of VIEWS) {
      const query = { ...(JSON.parse(preview.searchParams.get('query') ?? '{}') as object), view };
      preview.searchParams.set('query', JSON.stringify(query));
      await openHost(page, preview.toString());
      await waitForQueries(page, 1);
      // the scene of the finished query (none when the panel shows an error instead)
      const scene = await readScene(page, undefined, 5_000).catch(() => null);
      counts[view] = scene;
      await page.screenshot({ path: join(ARTIFACTS, `demo-${view}.png`) });
    }
    return counts;
  }
});
