// The Kubernetes component module: its flags and, in the cluster role, the source.
import type { ComponentModule, FlagSpec } from '../../component';
import { FlagError } from '../../flags';
import { deployJournal } from '../../journal';
import { loadKubeConfig } from './kubeConfig';
import { KubernetesSource } from './kubernetesSource';

export const kubernetesFlags: FlagSpec[] = [
  {
    name: 'kubernetes.role',
    help:
      'cluster: watch the Kubernetes API (one exporter per cluster) and publish pods, workloads, services, namespaces ' +
      'and rollouts; node: publish only this host (pods are resolved by the recording rules); none: no Kubernetes.',
    type: 'string',
    default: 'none',
  },
  {
    name: 'kubeconfig',
    help: 'Path of a kubeconfig file; unset: the in-cluster service account.',
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
