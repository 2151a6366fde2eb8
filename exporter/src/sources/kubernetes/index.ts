// The Kubernetes component module: its flags and, in the cluster role, the source. --collector.kubernetes turns the
// cluster role on; --kubernetes.role, which came first, is kept: `cluster` implies the collector, `node` and `none`
// leave it off.
import type { Config } from '../../runtime/config';
import type { ComponentModule, FlagSpec } from '../../runtime/source';

/**
 * The Kubernetes client is loaded only when the cluster role runs: required at start it costs every exporter about
 * 66 MiB of RSS (measured: 39 MiB for a bare node, 105 MiB after requiring @kubernetes/client-node), most of the
 * issue 14 budget of 100 MB for a node exporter that never talks to the API.
 */
function clusterParts(): typeof import('./kubeConfig') & typeof import('./kubernetesSource') {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return {
    ...(require('./kubeConfig') as typeof import('./kubeConfig')),
    ...(require('./kubernetesSource') as typeof import('./kubernetesSource')),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

export const kubernetesFlags: FlagSpec[] = [
  {
    name: 'kubernetes.role',
    help:
      'cluster: watch the Kubernetes API (run one per cluster) and publish pods, workloads, services, namespaces ' +
      'and rollouts; node: publish only this host and open no connection to the API (the recording rules join this ' +
      "host's processes and connections with the cluster exporter's pods and services, so the API server carries " +
      'one watch per kind, not one per node); none: no Kubernetes. Kept beside --collector.kubernetes, which is the ' +
      'same as cluster (unset: none, or cluster with --collector.kubernetes).',
    type: 'string',
  },
  {
    name: 'kubeconfig',
    help: 'Path of a kubeconfig file (cluster role only); unset: the in-cluster service account.',
    type: 'string',
  },
  {
    name: 'kubernetes.retry',
    help: 'First retry delay after an API error (doubles up to 30s).',
    type: 'duration',
    default: '1s',
  },
];

const ROLES = ['node', 'cluster', 'none'] as const;

/** The role given, or `fallback` when none is. */
function role(config: Config, fallback: (typeof ROLES)[number]): (typeof ROLES)[number] {
  return config.oneOf('kubernetes.role', ROLES, fallback);
}

export const kubernetesModule: ComponentModule = {
  flags: kubernetesFlags,
  source: {
    name: 'kubernetes',
    help: 'Watch the Kubernetes API (one exporter per cluster): pods, workloads, services, namespaces and rollouts.',
    implied: (config) => role(config, 'none') === 'cluster',
    impliedText: 'on with --kubernetes.role=cluster',
  },
  create(ctx) {
    // node role: nothing to run here; resolution happens in Prometheus (provisioning/prometheus/rules/edges.yml)
    if (role(ctx.config, 'cluster') !== 'cluster') return undefined;
    const { KubernetesSource, loadKubeConfig } = clusterParts();
    return new KubernetesSource({
      kubeConfig: loadKubeConfig(ctx.config.optionalString('kubeconfig')),
      hostname: ctx.hostname,
      logger: ctx.logger,
      health: ctx.health,
      journal: ctx.journal,
      retry: ctx.config.positiveDuration('kubernetes.retry'),
    });
  },
};
