// The deploy event and the journal's public interface. Every source of deploy events (git watcher, webhooks,
// Kubernetes rollouts) writes through a DeployJournal; the publisher, the Grafana push and GET /api/v1/deploys read
// from it. Times are integer milliseconds since the epoch so an event keeps its instant to the millisecond.

/** Where an event came from; also the `source` label of the deploy series. */
export type DeploySource = 'git' | 'api' | 'github' | 'flux' | 'argocd' | 'kubernetes';

export const DEPLOY_SOURCES: readonly DeploySource[] = ['git', 'api', 'github', 'flux', 'argocd', 'kubernetes'];

/**
 * `started`: the deploy began (a GitOps commit, a rollout in progress) and its end is not known yet;
 * `succeeded` / `failed`: it finished (with `finishedAt` when the end time is known).
 */
export type DeployStatus = 'started' | 'succeeded' | 'failed';

export const DEPLOY_STATUSES: readonly DeployStatus[] = ['started', 'succeeded', 'failed'];

/** An old -> new pair; either side is absent when unknown (e.g. a workload created by this deploy has no `from`). */
export interface Change<T> {
  from?: T;
  to?: T;
}

/** One container's image before and after the deploy. */
export interface ImageChange extends Change<string> {
  container: string;
}

export interface DeployEvent {
  /** Unique and stable: given by the client, or derived from source + namespace + workload + revision. */
  id: string;
  source: DeploySource;
  namespace: string;
  /** workload name, e.g. `carts` */
  workload: string;
  /** workload kind (`Deployment`, `StatefulSet`, `Application`...), `""` when unknown */
  kind: string;
  /** commit sha or version string */
  revision: string;
  /** application version (or image tag) before -> after */
  version?: Change<string>;
  /** images per container before -> after */
  images?: ImageChange[];
  /** desired replicas before -> after */
  replicas?: Change<number>;
  author: string;
  /** first line of the message, shown in annotations and labels */
  subject: string;
  /** full message, when different from the subject */
  message?: string;
  /** link to the commit, pipeline or application; `""` for none */
  url: string;
  status: DeployStatus;
  /** when the deploy started (ms since epoch) */
  startedAt: number;
  /** when it finished (ms since epoch), once known */
  finishedAt?: number;
  /** when this exporter first recorded it (ms since epoch) */
  receivedAt: number;
  /**
   * the source's own time of the status report that set `status` (ms; e.g. a GitHub deployment_status's
   * updated_at): a report older than this never changes the status, so a replayed old report cannot flip it back
   */
  statusAt?: number;
  /** the Grafana annotation this event was pushed as, kept so a restart never posts twice */
  annotation?: AnnotationRef;
}

export interface AnnotationRef {
  /** Grafana's annotation id */
  id: number;
  /** fingerprint of the last payload Grafana acknowledged; a different payload means PATCH */
  fingerprint: string;
}

/** What a source hands to `append`: `id` and `receivedAt` are filled in by the journal when absent. */
export type DeployEventInput = Omit<DeployEvent, 'id' | 'receivedAt' | 'annotation'> & { id?: string };

/** Fields `update` may change; identity fields (id, source, namespace, workload, revision) never change. */
export type DeployEventPatch = Partial<
  Pick<
    DeployEvent,
    | 'status'
    | 'statusAt'
    | 'finishedAt'
    | 'startedAt'
    | 'version'
    | 'images'
    | 'replicas'
    | 'author'
    | 'subject'
    | 'message'
    | 'url'
    | 'kind'
    | 'annotation'
  >
>;

export interface AppendResult {
  id: string;
  /** true when an event with this id, or (without an id) with the same source + revision + namespace + workload, existed */
  duplicate: boolean;
  /** the event as stored after the call (a duplicate that moves a rollout forward updates status/finishedAt) */
  event: DeployEvent;
}

export interface DeployFilter {
  /** inclusive lower bound on startedAt (ms) */
  from?: number;
  /** inclusive upper bound on startedAt (ms) */
  to?: number;
  namespace?: string;
  workload?: string;
  source?: DeploySource;
  /** at most this many events, the most recent ones */
  limit?: number;
}

export type JournalChange = 'added' | 'updated';

export type JournalListener = (event: DeployEvent, change: JournalChange) => void;

export interface DeployJournal {
  /**
   * Throws ExpiredEventError (an InvalidEventError, field `startedAt`) for a report that ended before the retention
   * window: `append` would keep it only until the next prune. Called where events come from outside (webhooks, git
   * backfill); `append` itself accepts it (a rollout watched now may carry an old start).
   */
  refuseExpired(input: Pick<DeployEventInput, 'startedAt' | 'finishedAt'>): void;
  /**
   * Records an event. Resolves only after the record is flushed to disk (fsync), so a webhook may answer once it
   * resolves. Idempotent: an event whose id is already known, or (given without an id) whose source + revision +
   * namespace + workload is, resolves with `duplicate: true` and the existing id; two different explicit ids are
   * never merged; if the duplicate carries a later status (started ->
   * succeeded/failed) the stored event is updated with it.
   */
  append(input: DeployEventInput): Promise<AppendResult>;
  /** Changes an existing event (a rollout finished, an annotation id came back); resolves after fsync. */
  update(id: string, patch: DeployEventPatch): Promise<DeployEvent | undefined>;
  get(id: string): DeployEvent | undefined;
  /** the event with this dedup key, if any */
  findByKey(source: DeploySource, namespace: string, workload: string, revision: string): DeployEvent | undefined;
  /** Events inside the retention window matching the filter, oldest first. */
  list(filter?: DeployFilter): DeployEvent[];
  /** Called after every append or update is durable. Returns an unsubscribe function. */
  subscribe(listener: JournalListener): () => void;
  /** Number of events kept (inside the retention window). */
  size(): number;
}
