// The Kubernetes source in its cluster role: informers over every kind, the objects as series, rollouts as deploy
// events. While any informer fails, timescope_source_up{source="kubernetes"} is 0 and the last known objects keep
// being served; the informers retry by themselves.
import type { KubeConfig } from '@kubernetes/client-node';
import type { DeployJournal } from '../../journal/types';
import type { Collector, Component, HealthReport, Logger, MetricFamily } from '../../runtime/source';
import { buildClusterModel } from './clusterModel';
import { clusterSeries } from './clusterSeries';
import { ClusterInformers } from './informers';
import { RolloutTracker, type RolloutSink, type RolloutWorkload } from './rollouts';

export interface KubernetesSourceOptions {
  kubeConfig: KubeConfig;
  hostname: string;
  logger: Logger;
  /** where the cycles are reported (the runtime publishes it) */
  health: HealthReport;
  journal?: DeployJournal;
  /** first retry delay after an error, seconds */
  retry?: number;
  maxRetry?: number;
}

function journalSink(journal: DeployJournal): RolloutSink {
  return {
    start: async (event) => (await journal.append(event)).id,
    finish: async (id, patch) => {
      await journal.update(id, patch);
    },
  };
}

export class KubernetesSource implements Component {
  readonly name = 'kubernetes';
  readonly collectors: Collector[];
  private readonly informers: ClusterInformers;
  private readonly health: HealthReport;
  private series: MetricFamily[] = [];
  /** how long the last rebuild of the model and its series took: the cycle of this source */
  private rebuildSeconds = 0;
  private dirty = true;
  private readonly rollouts: RolloutTracker | undefined;
  private rolloutQueue: Promise<void> = Promise.resolve();
  private rolloutsDue = false;
  private lastErrors = '';

  constructor(private readonly opts: KubernetesSourceOptions) {
    this.health = opts.health;
    this.rollouts = opts.journal ? new RolloutTracker(journalSink(opts.journal)) : undefined;
    this.informers = new ClusterInformers(opts.kubeConfig, {
      logger: opts.logger,
      retry: opts.retry ?? 1,
      maxRetry: opts.maxRetry ?? 30,
      onChange: (kind) => {
        this.dirty = true;
        if (kind === 'deployments' || kind === 'statefulsets' || kind === 'daemonsets') this.scheduleRollouts();
      },
    });
    this.collectors = [{ collect: () => this.collect() }];
  }

  async start(): Promise<void> {
    await this.informers.start();
  }

  async stop(): Promise<void> {
    await this.informers.stop();
    await this.rolloutQueue;
  }

  ready(): boolean {
    return this.informers.healthy();
  }

  /**
   * Rebuilt only when an informer saw a change since the last scrape. The informers stream by themselves, so this
   * source's cycle is the rebuild: its probe duration is the last rebuild's, not the cheap scrapes between.
   */
  private collect(): MetricFamily[] {
    if (this.dirty) {
      const t0 = performance.now();
      this.dirty = false;
      this.series = clusterSeries(buildClusterModel(this.informers));
      this.rebuildSeconds = (performance.now() - t0) / 1000;
    }
    const errors = this.informers.errors();
    const text = JSON.stringify(errors);
    if (text !== this.lastErrors && Object.keys(errors).length > 0) {
      this.opts.logger.warn('kubernetes: serving the last known objects while informers fail', { errors });
    }
    this.lastErrors = text;
    this.health.cycle(this.informers.healthy(), this.rebuildSeconds);
    return this.series;
  }

  /** Rollouts are looked at once per burst of changes, one pass at a time. */
  private scheduleRollouts(): void {
    if (!this.rollouts || this.rolloutsDue) return;
    this.rolloutsDue = true;
    const tracker = this.rollouts;
    this.rolloutQueue = this.rolloutQueue.then(async () => {
      this.rolloutsDue = false;
      const workloads: RolloutWorkload[] = [
        ...this.informers.list('deployments').map((obj) => ({ kind: 'Deployment' as const, obj })),
        ...this.informers.list('statefulsets').map((obj) => ({ kind: 'StatefulSet' as const, obj })),
        ...this.informers.list('daemonsets').map((obj) => ({ kind: 'DaemonSet' as const, obj })),
      ];
      try {
        await tracker.observe(workloads, this.informers.list('replicasets'));
      } catch (e) {
        this.opts.logger.error('kubernetes: recording a rollout failed', { err: String(e) });
      }
    });
  }
}
