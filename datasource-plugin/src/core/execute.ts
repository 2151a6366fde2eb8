// The second step of a topology query: sends the plan's requests, all in parallel, and collects the answers. The
// requests that do not depend on the presence rule's coverage go at once; the others as soon as it is answered.
// One failure cancels the others (the caller aborts `signal`); a cancelled query cancels them all.
import type { PromClient, PromMatrixSeries, PromVectorSample } from './promClient';
import { COVERAGE_ID, type PlannedRequest, type QueryPlan } from './queryPlan';
import { fittedRange, type RangeFitNote } from './rangeFit';

/** The rows of each request of a plan, by its id (none: the request was not in the plan). */
export interface Answers {
  vector(id: string): PromVectorSample[];
  matrix(id: string): PromMatrixSeries[];
  has(id: string): boolean;
  /** the range requests asked in pieces to fit the store's limits, by id */
  split: ReadonlyMap<string, RangeFitNote>;
}

/** Waits for a request without reporting its failure as unhandled while others are awaited first. */
function quiet<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/**
 * Sends `first` (planned before the coverage is known), then, when it is incomplete, the rest of the plan `then`
 * makes from the coverage's answer; the plan returned is the complete one.
 */
export async function executePlan(
  client: PromClient,
  first: QueryPlan,
  then: (coverage: PromVectorSample[]) => QueryPlan,
  signal?: AbortSignal,
): Promise<{ plan: QueryPlan; answers: Answers }> {
  const vectors = new Map<string, Promise<PromVectorSample[]>>();
  const matrices = new Map<string, Promise<PromMatrixSeries[]>>();
  const split = new Map<string, RangeFitNote>();
  const start = ({ id, request: r }: PlannedRequest): void => {
    if (vectors.has(id) || matrices.has(id)) return;
    if (r.kind === 'instant') vectors.set(id, quiet(client.instant(r.query, r.timeSec, signal)));
    else if (r.kind === 'samples') matrices.set(id, quiet(client.samples(r.query, r.timeSec, signal)));
    else matrices.set(id, quiet(fittedRange(client, r, signal, (n) => split.set(id, n))));
  };
  let plan = first;
  plan.requests.forEach(start);
  if (!plan.complete) {
    plan = then(await (vectors.get(COVERAGE_ID) ?? Promise.resolve([])));
    plan.requests.forEach(start);
  }
  const settle = async <T>(m: Map<string, Promise<T[]>>): Promise<Map<string, T[]>> =>
    new Map(await Promise.all([...m].map(async ([id, p]): Promise<[string, T[]]> => [id, await p])));
  const [v, m] = await Promise.all([settle(vectors), settle(matrices)]);
  return {
    plan,
    answers: {
      vector: (id) => v.get(id) ?? [],
      matrix: (id) => m.get(id) ?? [],
      has: (id) => v.has(id) || m.has(id),
      split,
    },
  };
}
