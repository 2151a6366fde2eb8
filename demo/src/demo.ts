// The whole demo in one process tree: the shop and its load, the GitOps repository, the exporter watching both,
// Prometheus scraping the exporter with the provisioned rules, the preview page, and the scripted deploys.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { presenceRuleGroup } from '@timescope/common';
import { cgroupFolders, KubeApiStandIn, removeCgroups } from '@timescope/common/standins';
import { freePort } from '@timescope/common/testing';
import { startChild, type Child } from './child';
import { DEMO_CGROUP_FOLDER, ShopCluster, demoCgroupFolder, kubeconfigPath } from './cluster';
import { exporterArgs } from './exporterArgs';
import { BRANCH, GitOpsRepo } from './gitops';
import { MANIFESTS_DIR } from './manifests';
import type { DemoOptions } from './options';
import { CLUSTER_VIEWS, clusterSupport } from './preflight';
import { demoPrometheusConfig } from './prometheusConfig';
import { NAMESPACE, initialShop, type Workload } from './shop';
import { PortPlan, Supervisor, type Log } from './supervisor';
import { SCRIPTED_DEPLOYS, runDeploy, type AppliedDeploy } from './timeline';

export const ROOT = resolve(__dirname, '..', '..');
export const EXPORTER_CLI = join(ROOT, 'exporter', 'dist', 'cli.js');
export const PROVISIONED_PROMETHEUS = join(ROOT, 'provisioning', 'prometheus', 'prometheus.yml');
/** The plugin host (the panel and the datasource as Grafana runs them, e2e/host): its server and built page, of
 * the Grafana line TIMESCOPE_GRAFANA_LINE names (13 by default; the server child inherits the variable). */
export const HOST_SERVER = join(ROOT, 'e2e', 'host', 'server.ts');
export const HOST_PAGE = join(ROOT, 'e2e', 'host', 'dist', process.env.TIMESCOPE_GRAFANA_LINE ?? '13', 'host.js');
const REGISTER_TS = join(ROOT, 'scripts', 'register-swc.js');

/** What the demo writes to <state>/status.json (and prints): where everything is, what was deployed when. */
export interface DemoStatus {
  hostname: string;
  urls: { exporter?: string; prometheus?: string; preview?: string; frontEnd: string };
  gitops: string;
  ports: Record<string, number>;
  deploys: AppliedDeploy[];
  /** the exporter flags this exporter build did not know */
  missingExporterFlags: string[];
  /** the Kubernetes API stand-in serving the shop's pods, Deployments and Services, when the shop runs as pods */
  cluster?: { apiServer: string; kubeconfig: string; namespace: string };
  /** the views that have the shop's nodes, and why the others have none */
  views: { shown: string[]; missing?: { views: string[]; reason: string } };
}

/** The line the preview page shows: the Kubernetes API is a stand-in, or why the cluster views are empty. */
export function previewNote(s: DemoStatus): string {
  if (s.views.missing) {
    return `Demo: the ${s.views.missing.views.join(', ')} views are empty (${s.views.missing.reason})`;
  }
  return (
    "Demo: the shop's Kubernetes API server is a stand-in (the demo's own Deployments, ReplicaSets, pods and " +
    'Services, list+watch only; no controllers)'
  );
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function port(wanted: number): Promise<number> {
  return wanted === 0 ? freePort() : wanted;
}

export class Demo {
  private readonly stops: (() => Promise<void>)[] = [];
  private readonly supervisor: Supervisor;
  private repo?: GitOpsRepo;
  private shop: Workload[] = [];
  private timer?: NodeJS.Timeout;
  private next = 0;
  private deploying?: Promise<void>;
  readonly state: string;
  status: DemoStatus;

  constructor(
    private readonly opts: DemoOptions,
    private readonly log: Log,
  ) {
    this.state = resolve(opts.stateDir);
    this.supervisor = new Supervisor(new PortPlan(opts.basePort), log);
    this.status = {
      hostname: hostname(),
      urls: { frontEnd: '' },
      gitops: join(this.state, 'gitops'),
      ports: {},
      deploys: [],
      missingExporterFlags: [],
      views: { shown: ['host', 'process'] },
    };
  }

  private cluster?: ShopCluster;

  /**
   * The shop as pods: the Kubernetes API stand-in and its kubeconfig, container cgroups for the processes. Without
   * root or cgroups (or with --cluster=false) the shop runs as plain processes and the status says which views miss.
   */
  private async startCluster(): Promise<void> {
    const missing = [...CLUSTER_VIEWS];
    if (!this.opts.cluster) {
      this.status.views.missing = { views: missing, reason: 'with --cluster=false' };
      return;
    }
    const support = clusterSupport();
    if (!support.ok) {
      this.status.views.missing = { views: missing, reason: support.reason };
      return;
    }
    // container cgroups of demos that were killed (their pid is gone) go first
    for (const f of cgroupFolders(support.hierarchy, DEMO_CGROUP_FOLDER)) {
      if (f !== demoCgroupFolder() && !pidAlive(Number(f.slice(f.lastIndexOf('-') + 1)))) {
        removeCgroups(support.hierarchy, f);
      }
    }
    const api = new KubeApiStandIn();
    const url = await api.start();
    this.stops.push(() => api.stop());
    const kubeconfig = api.writeKubeconfig(kubeconfigPath(this.state));
    const folder = demoCgroupFolder();
    this.cluster = new ShopCluster({
      api,
      node: this.status.hostname,
      cgroups: { hierarchy: support.hierarchy, folder },
    });
    const cluster = this.cluster;
    // after the processes (stops run newest first): the cgroups are empty once they have exited
    this.stops.push(async () => {
      for (let i = 0; i < 50 && !cluster.removeCgroups(); i++) await new Promise((r) => setTimeout(r, 100));
    });
    this.supervisor.placeIn(cluster);
    this.status.cluster = { apiServer: url, kubeconfig, namespace: NAMESPACE };
    this.status.views.shown.push(...missing);
  }

  async start(): Promise<void> {
    rmSync(this.state, { recursive: true, force: true });
    mkdirSync(this.state, { recursive: true });
    this.stops.push(async () => {
      if (!this.opts.keep) rmSync(this.state, { recursive: true, force: true });
    });
    const { repo, commit } = await GitOpsRepo.create(this.status.gitops, initialShop());
    this.repo = repo;
    this.shop = await repo.shopAt(commit.sha);
    await this.startCluster();
    this.stops.push(() => this.supervisor.stop());
    await this.supervisor.apply(this.shop);
    this.status.ports = Object.fromEntries(this.supervisor.ports.known());
    this.status.urls.frontEnd = `http://127.0.0.1:${this.status.ports['front-end']}/`;

    const previewPort = this.opts.preview ? await port(this.opts.previewPort) : 0;
    const exporterPort = this.opts.exporter ? await port(this.opts.exporterPort) : this.opts.exporterPort || 9469;
    const prometheusPort = this.opts.prometheus
      ? await port(this.opts.prometheusPort)
      : this.opts.prometheusPort || 9090;
    // Each needs only the others' addresses, not their being up: started side by side, the demo is up sooner.
    // Every one is waited for (settled) before a failure is passed on, so that stop() finds all that started.
    const started = await Promise.allSettled([
      this.opts.exporter ? this.startExporter(exporterPort, previewPort) : undefined,
      this.opts.prometheus ? this.startPrometheus(prometheusPort, exporterPort) : undefined,
      this.opts.preview ? this.startPreview(previewPort, prometheusPort) : undefined,
    ]);
    for (const r of started) if (r.status === 'rejected') throw r.reason;
    this.writeStatus();
  }

  private async startExporter(p: number, previewPort: number): Promise<void> {
    if (!existsSync(EXPORTER_CLI)) throw new Error(`${EXPORTER_CLI} is missing: run bash scripts/build.sh first`);
    const { args, missing } = await exporterArgs(EXPORTER_CLI, {
      port: p,
      hostname: this.status.hostname,
      gitRepo: this.status.gitops,
      gitBranch: BRANCH,
      gitPath: MANIFESTS_DIR,
      eventsPath: join(this.state, 'events'),
      gitCacheDir: join(this.state, 'git-cache'),
      interval: Math.min(this.opts.scrapeInterval, 5),
      commitUrl: previewPort ? `http://127.0.0.1:${previewPort}/commits/{sha}` : undefined,
      kubeconfig: this.status.cluster?.kubeconfig,
    });
    this.status.missingExporterFlags = missing;
    if (missing.length > 0) this.log(`exporter: this build has no --${missing.join(', --')}; going on without`);
    const url = `http://127.0.0.1:${p}`;
    const child = await startChild('exporter', process.execPath, [EXPORTER_CLI, ...args], `${url}/metrics`);
    this.watch(child);
    this.stops.push(() => child.stop());
    this.status.urls.exporter = `${url}/metrics`;
  }

  private async startPrometheus(p: number, exporterPort: number): Promise<void> {
    const exporter = `127.0.0.1:${exporterPort}`;
    const dir = join(this.state, 'prometheus');
    mkdirSync(dir, { recursive: true });
    const config = join(dir, 'prometheus.yml');
    // the provisioned presence rule is for a 15 s scrape: the datasource trusts it only at its own interval
    const presenceRule = join(dir, 'presence.yml');
    writeFileSync(presenceRule, presenceRuleGroup(this.opts.scrapeInterval));
    const provisioned = readFileSync(PROVISIONED_PROMETHEUS, 'utf8');
    writeFileSync(
      config,
      demoPrometheusConfig(provisioned, PROVISIONED_PROMETHEUS, exporter, this.opts.scrapeInterval, presenceRule),
    );
    const url = `http://127.0.0.1:${p}`;
    const args = [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${p}`,
      '--web.enable-lifecycle',
    ];
    const child = await startChild('prometheus', 'prometheus', args, `${url}/-/ready`);
    this.watch(child);
    this.stops.push(() => child.stop());
    this.status.urls.prometheus = url;
  }

  /** The preview is the tests' plugin host server, run as a child: one implementation of the page and its proxy. */
  private async startPreview(p: number, prometheusPort: number): Promise<void> {
    if (!existsSync(HOST_PAGE)) {
      this.log('preview: the plugin host page is not built (e2e/host, scripts/build.sh); no preview');
      return;
    }
    const prometheus = `http://127.0.0.1:${prometheusPort}`;
    const args = ['-r', REGISTER_TS, HOST_SERVER, '--prometheus', prometheus, '--port', String(p)];
    const child = await startChild(
      'preview',
      process.execPath,
      [...args, '--git-repo', this.status.gitops, '--note', previewNote(this.status)],
      `http://127.0.0.1:${p}/api/host/plugins`,
      { cwd: ROOT },
    );
    this.watch(child);
    this.stops.push(() => child.stop());
    // Open on the shop's Deployments when it runs as pods (what a user of a cluster looks at first), else on its
    // processes; from just before the demo started.
    const query = this.status.cluster ? { view: 'workload' } : { view: 'process', idleProcesses: 'hide' };
    const view = new URLSearchParams({ from: String(Date.now() - 60_000), query: JSON.stringify(query) });
    this.status.urls.preview = `http://127.0.0.1:${p}/?${view}`;
  }

  /** A helper that dies on its own is reported with its last words; the demo keeps the rest running. */
  private watch(child: Child): void {
    child.process.once('exit', (code, signal) => {
      if (!this.stopped) this.log(`${child.name} exited (${code ?? signal}):\n${child.log().trim().slice(-2000)}`);
    });
  }

  private stopped = false;

  /** Runs the scripted deploys, one every deployInterval seconds. */
  runTimeline(onDeploy: (d: AppliedDeploy) => void): void {
    const step = (): void => {
      const s = SCRIPTED_DEPLOYS[this.next++];
      if (!s || this.stopped || !this.repo) return;
      this.deploying = runDeploy(s, this.repo, this.supervisor, this.shop)
        .then(({ shop, applied }) => {
          this.shop = shop;
          this.status.ports = Object.fromEntries(this.supervisor.ports.known());
          this.status.deploys.push(applied);
          this.writeStatus();
          onDeploy(applied);
        })
        .catch((e: Error) => this.log(`deploy ${s.id} failed: ${e.message}`))
        .finally(() => {
          this.deploying = undefined;
          if (!this.stopped) this.timer = setTimeout(step, this.opts.deployInterval * 1000);
        });
    };
    this.timer = setTimeout(step, this.opts.deployInterval * 1000);
  }

  writeStatus(): void {
    writeFileSync(join(this.state, 'status.json'), JSON.stringify(this.status, null, 2));
  }

  /** Stops everything started, newest first. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.supervisor.halt();
    clearTimeout(this.timer);
    await this.deploying;
    for (const s of this.stops.reverse()) {
      try {
        await s();
      } catch (e) {
        this.log(`stop: ${(e as Error).message}`);
      }
    }
  }
}
