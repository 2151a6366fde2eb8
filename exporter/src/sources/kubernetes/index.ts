// The Kubernetes component module: its flags and, in the cluster role, the source.
import type { ComponentModule, FlagSpec } from '../../runtime/source';
import { FlagError } from '../../flags';
import { deployJournal } from '../../journal';
import { loadKubeConfig } from './kubeConfig';
import { KubernetesSource } from './kubernetesSource';

export const kubernetesFlags: FlagSpec[] = [
  {
    name: 'kubernetes.role',
    help:
      'cluster: watch the Kubernetes API (run one per cluster) and publish pods, workloads, services, namespaces ' +
      'and rollouts; node: publish only this host and open no connection to the API (the recording rules join this ' +
      "host's processes and connections with the cluster exporter's pods and services, so the API server carries " +
      'one watch per kind, not one per node); none: no Kubernetes.',
    type: 'string',
    default: 'none',
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

export const kubernetesModule: ComponentModule = {
  flags: kubernetesFlags,
  create(ctx) {
    const role = ctx.config['kubernetes.role'] ?? 'none';
    if (role !== 'cluster' && role !== 'node' && role !== 'none') {
      throw new FlagError(`--kubernetes.role must be node, cluster or none, not "${String(role)}"`);
    }
    // node role: nothing to run here; resolution happens in Prometheus (provisioning/prometheus/rules/edges.yml)
    if (role !== 'cluster') return undefined;
    const path = ctx.config.kubeconfig;
    const retry = ctx.config['kubernetes.retry'];
    return new KubernetesSource({
      kubeConfig: loadKubeConfig(typeof path === 'string' && path !== '' ? path : undefined),
      hostname: ctx.hostname,
      logger: ctx.logger,
      journal: deployJournal(ctx),
      retry: typeof retry === 'number' && retry > 0 ? retry : 1,
    });
  },
};
