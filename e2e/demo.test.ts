// The README's main command end to end: the demo orchestrator (what `npm start` runs after setup and build) with a
// short timeline on free ports. After the scripted "new dependency" deploy, Prometheus must show the edge
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
}

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
    const edge = `timescope_edge_connections{source="${orders}",target="${fraud}"}`;

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
    const before = await query(prom, `last_over_time(timescope_edge_connections{source="${orders}"}[2s])`, t);
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
    const hasEdge = (s: Scene) =>
      s.edges.some((e) => e.source === p.orders && e.target === p.fraud && e.status !== 'removed');
    const open = async (toMs: number): Promise<Scene> => {
      preview.searchParams.set('to', String(toMs));
      await openHost(page, preview.toString());
      try {
        return await readScene(page, (s) => s.nodes.some((n) => n.id === p.orders), 60_000);
      } catch (e) {
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: join(ARTIFACTS, 'demo-preview-failure.png') });
        throw e;
      }
    };
    browser = await launchBrowser();
    const page = browser.page;

    const before = await open(p.deployMs - 1000);
    expect(before.nodes.some((n) => n.id === p.fraud && n.status !== 'removed')).toBe(false);
    expect(hasEdge(before)).toBe(false);

    const after = await waitFor('the orders -> fraud-check edge in the preview', async () => {
      const s = await open(Date.now());
      return hasEdge(s) && s;
    });
    expect(after.mode).toBe('live');

    // The orders deploy's marker: the panel moves to just after it and diffs against just before it.
    // (fraud-check's marker stands at the same instant, on top: the click goes to the element itself)
    // Deploys a few seconds apart share a pixel: their cluster opens a list whose entry is clicked instead.
    const label = `[aria-label^="Deploy orders ${p.sha.slice(0, 12)}"]`;
    const marker = page.locator(`[data-testid="timescope-deploy-marker"]${label}`);
    if ((await marker.count()) > 0) await marker.dispatchEvent('click');
    else {
      const entry = page.locator(`[data-testid="timescope-deploy-entry"]${label}`);
      for (const cluster of await page.locator('[data-testid="timescope-deploy-cluster"]').all()) {
        if ((await entry.count()) > 0) break;
        await cluster.dispatchEvent('click');
      }
      await entry.dispatchEvent('click');
    }
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
    expect(diff.edges.find((e) => e.source === p.orders && e.target === p.fraud)?.status).toBe('added');

    // The refresh picker at 5s: with the range ending now, the scene's end (and Live with it) advances, no reload.
    preview.searchParams.delete('to');
    preview.searchParams.set('refresh', '5s');
    await openHost(page, preview.toString());
    await page.evaluate(() => Object.assign(window, { timescopeNoReload: true }));
    const first = await readScene(page, (s) => s.nodes.some((n) => n.id === p.orders), 60_000);
    const later = await readScene(page, (s) => s.to > first.to, 60_000);
    expect(later.mode).toBe('live');
    expect(later.instant).toBeGreaterThan(first.instant);
    expect(await page.evaluate(() => (window as unknown as { timescopeNoReload?: boolean }).timescopeNoReload)).toBe(
      true,
    );

    expect(browser.errors).toEqual([]);

    // A screenshot of every view of the demo (artifacts); the shop's processes and its host have nodes. (Without a
    // cluster the pod, workload and service views are empty: the screenshots show what the user sees then.)
    const shown = await viewScreenshots(page, preview);
    expect({ host: shown.host > 0, process: shown.process > 0 }).toEqual({ host: true, process: true });
  }

  /** Each view of the preview at the demo's last instant, saved under .tmp/screenshots; its node count. */
  async function viewScreenshots(page: Browser['page'], preview: URL): Promise<Record<string, number>> {
    mkdirSync(ARTIFACTS, { recursive: true });
    const counts: Record<string, number> = {};
    preview.searchParams.delete('refresh');
    preview.searchParams.set('to', String(Date.now()));
    for (const view of VIEWS) {
      const query = { ...(JSON.parse(preview.searchParams.get('query') ?? '{}') as object), view };
      preview.searchParams.set('query', JSON.stringify(query));
      await openHost(page, preview.toString());
      await waitForQueries(page, 1);
      // the scene of the finished query (none when the panel shows an error instead)
      const scene = await readScene(page, undefined, 5_000).catch(() => null);
      counts[view] = scene?.nodes.length ?? 0;
      await page.screenshot({ path: join(ARTIFACTS, `demo-${view}.png`) });
    }
    return counts;
  }
});
