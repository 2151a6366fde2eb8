// Rollouts as deploy events. A Deployment, StatefulSet or DaemonSet whose pod template changes gets a new revision
// (a Deployment's `deployment.kubernetes.io/revision`, a StatefulSet's updateRevision, a DaemonSet's generation):
// that starts an event; it ends `succeeded` when every replica is updated and available, or `failed` when the
// Deployment's progress deadline passes. The first sight of a workload is its baseline, not a rollout.
import type { V1Container, V1DaemonSet, V1Deployment, V1ReplicaSet, V1StatefulSet } from '@kubernetes/client-node';
import type { DeployEventInput, DeployEventPatch, ImageChange } from '../../journal/types';
import { seconds, text } from './labels';

export type RolloutWorkload =
  | { kind: 'Deployment'; obj: V1Deployment }
  | { kind: 'StatefulSet'; obj: V1StatefulSet }
  | { kind: 'DaemonSet'; obj: V1DaemonSet };

export type RolloutState = 'progressing' | 'succeeded' | 'failed';

interface Tracked {
  revision: string;
  images: Map<string, string>;
  /** the journal id of the rollout to this revision, once one was started */
  eventId?: string;
  state: RolloutState;
}

/** Where rollouts go: the deploy journal in production, an array in tests. */
export interface RolloutSink {
  start(event: DeployEventInput): Promise<string>;
  finish(id: string, patch: DeployEventPatch): Promise<void>;
}

function revisionOf(w: RolloutWorkload): string {
  const meta = w.obj.metadata;
  if (w.kind === 'Deployment')
    return meta?.annotations?.['deployment.kubernetes.io/revision'] ?? String(meta?.generation ?? '');
  if (w.kind === 'StatefulSet') return w.obj.status?.updateRevision ?? String(meta?.generation ?? '');
  return String(meta?.generation ?? '');
}

function imagesOf(containers: V1Container[] | undefined): Map<string, string> {
  return new Map((containers ?? []).map((c) => [c.name, c.image ?? '']));
}

/** Where a rollout stands, from the workload's status alone. */
export function rolloutState(w: RolloutWorkload): RolloutState {
  const gen = w.obj.metadata?.generation ?? 0;
  if (w.kind === 'Deployment') {
    const s = w.obj.status ?? {};
    const failed = s.conditions?.some(
      (c) => c.type === 'Progressing' && c.status === 'False' && c.reason === 'ProgressDeadlineExceeded',
    );
    if (failed) return 'failed';
    const want = w.obj.spec?.replicas ?? 1;
    const done =
      (s.observedGeneration ?? 0) >= gen &&
      (s.updatedReplicas ?? 0) >= want &&
      (s.replicas ?? 0) <= (s.updatedReplicas ?? 0) &&
      (s.availableReplicas ?? 0) >= want;
    return done ? 'succeeded' : 'progressing';
  }
  if (w.kind === 'StatefulSet') {
    const s = w.obj.status;
    const want = w.obj.spec?.replicas ?? 1;
    const done =
      (s?.observedGeneration ?? 0) >= gen &&
      s?.currentRevision === s?.updateRevision &&
      (s?.updatedReplicas ?? 0) >= want &&
      (s?.availableReplicas ?? s?.readyReplicas ?? 0) >= want;
    return done ? 'succeeded' : 'progressing';
  }
  const s = w.obj.status;
  const want = s?.desiredNumberScheduled ?? 0;
  const done =
    (s?.observedGeneration ?? 0) >= gen &&
    (s?.updatedNumberScheduled ?? 0) >= want &&
    (s?.numberAvailable ?? 0) >= want;
  return done ? 'succeeded' : 'progressing';
}

function key(w: RolloutWorkload): string {
  return `${w.kind}/${w.obj.metadata?.namespace ?? ''}/${w.obj.metadata?.name ?? ''}`;
}

export class RolloutTracker {
  private readonly tracked = new Map<string, Tracked>();

  constructor(
    private readonly sink: RolloutSink,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Looks at every workload once (call after each change). `replicaSets` date a Deployment's rollout by the creation
   * of the ReplicaSet of its new revision.
   */
  async observe(workloads: readonly RolloutWorkload[], replicaSets: readonly V1ReplicaSet[] = []): Promise<void> {
    for (const w of workloads) await this.observeOne(w, replicaSets);
  }

  private async observeOne(w: RolloutWorkload, replicaSets: readonly V1ReplicaSet[]): Promise<void> {
    const k = key(w);
    const revision = revisionOf(w);
    const images = imagesOf(w.obj.spec?.template?.spec?.containers);
    const prev = this.tracked.get(k);
    if (!prev) {
      this.tracked.set(k, { revision, images, state: rolloutState(w) });
      return;
    }
    if (prev.revision !== revision) {
      const next: Tracked = { revision, images, state: 'progressing' };
      this.tracked.set(k, next);
      next.eventId = await this.sink.start(this.startEvent(w, revision, prev.images, images, replicaSets));
    }
    const cur = this.tracked.get(k);
    if (!cur || !cur.eventId || cur.state !== 'progressing') return;
    const state = rolloutState(w);
    if (state === 'progressing') return;
    cur.state = state;
    await this.sink.finish(cur.eventId, { status: state, finishedAt: this.now() });
  }

  private startEvent(
    w: RolloutWorkload,
    revision: string,
    before: Map<string, string>,
    after: Map<string, string>,
    replicaSets: readonly V1ReplicaSet[],
  ): DeployEventInput {
    const namespace = text(w.obj.metadata?.namespace);
    const name = text(w.obj.metadata?.name);
    const changes: ImageChange[] = [];
    for (const [container, to] of after) {
      const from = before.get(container);
      if (from !== to) changes.push({ container, from, to });
    }
    let startedAt = this.now();
    if (w.kind === 'Deployment') {
      const rs = replicaSets.find(
        (r) =>
          r.metadata?.namespace === w.obj.metadata?.namespace &&
          r.metadata?.annotations?.['deployment.kubernetes.io/revision'] === revision &&
          r.metadata?.ownerReferences?.some((o) => o.kind === 'Deployment' && o.name === w.obj.metadata?.name),
      );
      const created = seconds(rs?.metadata?.creationTimestamp);
      if (created !== undefined) startedAt = created * 1000;
    }
    const imageText = changes.map((c) => `${c.container}: ${c.from ?? '-'} -> ${c.to ?? '-'}`).join(', ');
    const tag = changes[0]?.to?.split(':').pop();
    return {
      source: 'kubernetes',
      namespace,
      workload: name,
      kind: w.kind,
      revision: text(revision),
      version: tag ? { from: changes[0].from?.split(':').pop(), to: tag } : undefined,
      images: changes.length > 0 ? changes : undefined,
      author: '',
      subject: text(`${w.kind} ${name} rollout to revision ${revision}${imageText ? ` (${imageText})` : ''}`),
      url: '',
      status: 'started',
      startedAt,
    };
  }
}
