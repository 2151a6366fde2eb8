// One list+watch informer per kind (@kubernetes/client-node's makeInformer). The library relists by itself after a
// 410 Gone and rewatches after a stream that ends cleanly; on any other error (403, connection refused, a stream cut
// mid-flight) it stops, so we restart it after a backoff. Health: every informer has listed successfully and none
// has failed since.
import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  DiscoveryV1Api,
  makeInformer,
  type Informer,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  type ObjectCache,
  type V1CronJob,
  type V1DaemonSet,
  type V1Deployment,
  type V1EndpointSlice,
  type V1Job,
  type V1Namespace,
  type V1Node,
  type V1Pod,
  type V1ReplicaSet,
  type V1Service,
  type V1StatefulSet,
} from '@kubernetes/client-node';
import { Backoff } from '../../runtime/backoff';
import type { Logger } from '../../runtime/source';

export interface ClusterKinds {
  pods: V1Pod;
  services: V1Service;
  endpointslices: V1EndpointSlice;
  replicasets: V1ReplicaSet;
  deployments: V1Deployment;
  statefulsets: V1StatefulSet;
  daemonsets: V1DaemonSet;
  jobs: V1Job;
  cronjobs: V1CronJob;
  nodes: V1Node;
  namespaces: V1Namespace;
}
export type KindName = keyof ClusterKinds;

type Lister<T extends KubernetesObject> = () => Promise<KubernetesListObject<T>>;
type Listers = { [K in KindName]: { path: string; list: Lister<ClusterKinds[K]> } };

function listers(kc: KubeConfig): Listers {
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const batch = kc.makeApiClient(BatchV1Api);
  const discovery = kc.makeApiClient(DiscoveryV1Api);
  return {
    pods: { path: '/api/v1/pods', list: () => core.listPodForAllNamespaces() },
    services: { path: '/api/v1/services', list: () => core.listServiceForAllNamespaces() },
    nodes: { path: '/api/v1/nodes', list: () => core.listNode() },
    namespaces: { path: '/api/v1/namespaces', list: () => core.listNamespace() },
    endpointslices: {
      path: '/apis/discovery.k8s.io/v1/endpointslices',
      list: () => discovery.listEndpointSliceForAllNamespaces(),
    },
    replicasets: { path: '/apis/apps/v1/replicasets', list: () => apps.listReplicaSetForAllNamespaces() },
    deployments: { path: '/apis/apps/v1/deployments', list: () => apps.listDeploymentForAllNamespaces() },
    statefulsets: { path: '/apis/apps/v1/statefulsets', list: () => apps.listStatefulSetForAllNamespaces() },
    daemonsets: { path: '/apis/apps/v1/daemonsets', list: () => apps.listDaemonSetForAllNamespaces() },
    jobs: { path: '/apis/batch/v1/jobs', list: () => batch.listJobForAllNamespaces() },
    cronjobs: { path: '/apis/batch/v1/cronjobs', list: () => batch.listCronJobForAllNamespaces() },
  };
}

export const allKinds: readonly KindName[] = [
  'namespaces',
  'nodes',
  'pods',
  'services',
  'endpointslices',
  'replicasets',
  'deployments',
  'statefulsets',
  'daemonsets',
  'jobs',
  'cronjobs',
];

/** What the rest of the source reads: the cached objects of every kind. */
export interface ClusterCache {
  list<K extends KindName>(kind: K): ReadonlyArray<ClusterKinds[K]>;
}

type CachingInformer = Informer<KubernetesObject> & ObjectCache<KubernetesObject>;

interface Watched {
  /** the informer whose cache is served: replaced only once a fresh one has listed */
  informer: CachingInformer | undefined;
  make: () => CachingInformer;
  /** the informer started last (it may not have listed yet) */
  latest: CachingInformer | undefined;
  listed: boolean;
  error: string | undefined;
  retry: NodeJS.Timeout | undefined;
}

export interface InformerOptions {
  logger: Logger;
  /** first retry delay in seconds after an error; doubles up to `maxRetry` */
  retry: number;
  maxRetry: number;
  /** called after any object changed (add, update, delete, relist) */
  onChange: (kind: KindName) => void;
}

function describe(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { code?: unknown; statusCode?: unknown; message?: unknown; body?: unknown };
    const code = e.code ?? e.statusCode;
    const msg = typeof e.message === 'string' ? e.message.split('\n')[0] : '';
    return [code !== undefined ? `HTTP ${String(code)}` : '', msg].filter(Boolean).join(': ') || 'unknown error';
  }
  return String(err);
}

export class ClusterInformers implements ClusterCache {
  private readonly watched = new Map<KindName, Watched>();
  private readonly backoffs = new Map<KindName, Backoff>();
  private stopped = false;

  constructor(
    kc: KubeConfig,
    private readonly opts: InformerOptions,
    kinds: readonly KindName[] = allKinds,
  ) {
    const ls = listers(kc);
    for (const kind of kinds) {
      const { path, list } = ls[kind] as { path: string; list: Lister<KubernetesObject> };
      const w: Watched = {
        informer: undefined,
        latest: undefined,
        make: () => {
          throw new Error('unreachable');
        },
        listed: false,
        error: undefined,
        retry: undefined,
      };
      w.make = () => {
        const next: CachingInformer = makeInformer(kc, path, async () => {
          const result = await list();
          // A successful list is the moment the kind is healthy again. The library fills `next` right after this
          // resolves, before any timer or socket callback can read it, so swapping here never serves a half cache.
          if (w.error) opts.logger.info('kubernetes: informer recovered', { kind });
          w.listed = true;
          w.error = undefined;
          this.backoffs.get(kind)?.reset();
          if (w.informer !== next) void w.informer?.stop();
          w.informer = next;
          return result;
        });
        // a replaced informer reports its own shutdown as an error: only the latest one counts
        next.on('change', () => {
          if (w.informer === next) opts.onChange(kind);
        });
        next.on('error', (err: unknown) => {
          if (w.latest === next) this.failed(kind, w, err);
        });
        w.latest = next;
        return next;
      };
      this.watched.set(kind, w);
    }
  }

  async start(): Promise<void> {
    this.stopped = false;
    await Promise.all([...this.watched.entries()].map(([kind, w]) => this.run(kind, w)));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const w of this.watched.values()) {
      clearTimeout(w.retry);
      await w.informer?.stop();
      await w.latest?.stop();
    }
  }

  list<K extends KindName>(kind: K): ReadonlyArray<ClusterKinds[K]> {
    const w = this.watched.get(kind);
    return (w?.informer ? w.informer.list() : []) as ReadonlyArray<ClusterKinds[K]>;
  }

  /** true when every informer has listed and none is failing */
  healthy(): boolean {
    for (const w of this.watched.values()) if (!w.listed || w.error) return false;
    return true;
  }

  /** kind -> reason, for every failing informer */
  errors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [kind, w] of this.watched) if (w.error) out[kind] = w.error;
    return out;
  }

  /** Starts a fresh informer (a full relist): after an error we cannot know what the old stream missed. */
  private async run(kind: KindName, w: Watched): Promise<void> {
    try {
      await w.make().start();
    } catch (err) {
      this.failed(kind, w, err);
    }
  }

  private failed(kind: KindName, w: Watched, err: unknown): void {
    if (this.stopped) return;
    const reason = describe(err);
    if (w.error !== reason) this.opts.logger.warn('kubernetes: informer failed, retrying', { kind, reason });
    w.error = reason;
    let backoff = this.backoffs.get(kind);
    if (!backoff) {
      backoff = new Backoff({ initial: this.opts.retry, max: this.opts.maxRetry });
      this.backoffs.set(kind, backoff);
    }
    const delay = backoff.next();
    clearTimeout(w.retry);
    w.retry = setTimeout(() => {
      if (!this.stopped) void this.run(kind, w);
    }, delay * 1000);
    w.retry.unref();
  }
}
