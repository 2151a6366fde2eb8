// The deploys component: owns the journal's lifecycle and flags, publishes the deploy series, serves
// GET /api/v1/deploys and, with --grafana.url, pushes events to Grafana as annotations.
import { readFileSync } from 'node:fs';
import { SelfMetric } from '@timescope/common';
import type { Collector, Component, ComponentModule, Context, FlagSpec, MetricFamily } from '../../component';
import { deployJournal, journalFlags } from '../../journal';
import { listDeploysHandler } from './deploysApi';
import { DeploySeries } from './deploySeries';
import { GrafanaPush } from './grafanaPush';

export const grafanaFlags: FlagSpec[] = [
  {
    name: 'grafana.url',
    help: 'Grafana base URL; when set, deploy events are also pushed as annotations (POST /api/annotations).',
    type: 'string',
  },
  {
    name: 'grafana.token-file',
    help: 'File holding a Grafana service account token (sent as a bearer token) for the annotation push.',
    type: 'string',
  },
  {
    name: 'grafana.dashboard-uid',
    help: 'Pin pushed annotations to this dashboard; unset: organisation-wide annotations, filtered by tag.',
    type: 'string',
  },
];

function str(ctx: Context, name: string): string | undefined {
  const v = ctx.config[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function readSecretFile(path: string, flag: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (e) {
    throw new Error(`--${flag}: cannot read ${path}: ${(e as Error).message}`);
  }
}

function pushMetrics(push: GrafanaPush, host: string): Collector {
  return {
    collect: (): MetricFamily[] => [
      {
        name: SelfMetric.GrafanaAnnotationPushesTotal,
        help: 'Annotation requests to Grafana by result (posted, patched, failed).',
        type: 'counter',
        samples: [
          { labels: { result: 'posted', host }, value: push.stats.posted },
          { labels: { result: 'patched', host }, value: push.stats.patched },
          { labels: { result: 'failed', host }, value: push.stats.failures },
        ],
      },
      {
        name: SelfMetric.GrafanaAnnotationsPending,
        help: 'Deploy events waiting to be pushed to Grafana.',
        type: 'gauge',
        samples: [{ labels: { host }, value: push.pending() }],
      },
    ],
  };
}

export const deploysModule: ComponentModule = {
  flags: [...journalFlags, ...grafanaFlags],
  create(ctx: Context): Component {
    const journal = deployJournal(ctx);
    const collectors: Collector[] = [new DeploySeries(journal, ctx.hostname)];
    const grafanaUrl = str(ctx, 'grafana.url');
    let push: GrafanaPush | undefined;
    if (grafanaUrl) {
      const tokenFile = str(ctx, 'grafana.token-file');
      push = new GrafanaPush({
        url: grafanaUrl,
        token: tokenFile ? readSecretFile(tokenFile, 'grafana.token-file') : undefined,
        dashboardUid: str(ctx, 'grafana.dashboard-uid'),
        journal,
        logger: ctx.logger,
      });
      collectors.push(pushMetrics(push, ctx.hostname));
    }
    let ready = false;
    return {
      name: 'deploys',
      collectors,
      routes: [{ method: 'GET', path: '/api/v1/deploys', handler: listDeploysHandler(journal) }],
      async start() {
        await journal.open();
        push?.start();
        ready = true;
      },
      async stop() {
        await push?.stop();
        await journal.close();
      },
      ready: () => ready,
    };
  },
};
