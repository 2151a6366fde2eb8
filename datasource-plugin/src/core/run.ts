// One target of a query, from request to frames: the topology (nodes, edges, timeline) or the deploy annotations.
// Whatever goes wrong ends as a clear error for the panel, and Prometheus' warnings (partial data) as notices on
// the frames, never as a blank graph that looks like "no services".
import type { DataFrame, DataQueryError, QueryResultMetaNotice } from '@grafana/data';
import { deployTags, isMetricName, regexError } from '@timescope/common';
import { figuresFrame, withFigureFields } from './adapters/figureFrames';
import { topologyFrames } from './dataFrames';
import { withKnownEnds } from './edgeEnds';
import { withPositions } from './nodePositions';
import { hideIdleProcesses, idleNotice } from './idleProcesses';
import { queryDeploys, type DeployAnnotation, type DeployFilters } from './deploys';
import { PrometheusError, type PromClient } from './promClient';
import type { StoreCapabilities } from './store';
import { buildTopology, type TopologyRequest } from './topology';

export interface TargetResult {
  frames: DataFrame[];
  error?: DataQueryError;
}

const warning = (text: string): QueryResultMetaNotice => ({ severity: 'warning', text });

/** Prometheus' warnings, as notices Grafana shows on the panel. */
export function promNotices(warnings: readonly string[]): QueryResultMetaNotice[] {
  return [...new Set(warnings)].map((w) => warning(`Prometheus: ${w}`));
}

/** Says that edges were left out (Node Graph cannot draw an edge without both of its nodes). */
function danglingNotices(dropped: readonly string[]): QueryResultMetaNotice[] {
  if (dropped.length === 0) return [];
  const some = dropped.slice(0, 3).join(', ');
  return [
    warning(
      `${dropped.length} edges left out, an end of each is not a node here: ${some}${dropped.length > 3 ? ', ...' : ''}`,
    ),
  ];
}

function failure(refId: string, e: unknown): TargetResult {
  if (e instanceof PrometheusError && e.kind === 'cancelled') return { frames: [] };
  const message = e instanceof Error ? e.message : String(e);
  const status = e instanceof PrometheusError ? e.status : undefined;
  return { frames: [], error: { refId, message, ...(status !== undefined ? { status } : {}) } };
}

/**
 * The topology frames; `warnings` is filled by the client while the requests run (it is read after they end).
 * A name filter that is not a regex is refused before any request.
 */
export async function runTopology(
  client: PromClient,
  req: TopologyRequest,
  refId: string,
  warnings: readonly string[],
  signal?: AbortSignal,
  store?: StoreCapabilities,
): Promise<TargetResult> {
  const bad = req.filters.name ? regexError(req.filters.name) : undefined;
  if (bad) return { frames: [], error: { refId, message: `The name filter is not a valid regex: ${bad}` } };
  const metrics = [req.edgeMetric, ...Object.values(req.edgeMetrics ?? {})].filter((m): m is string => Boolean(m));
  const badMetric = metrics.find((m) => !isMetricName(m));
  if (badMetric !== undefined) {
    const message = `The edge metric is not a metric name: ${JSON.stringify(badMetric)}`;
    return { frames: [], error: { refId, message } };
  }
  try {
    const idle = hideIdleProcesses(await buildTopology(client, req, signal, store), req.idleProcesses ?? 'show');
    const topology = idle.topology;
    const frames = topologyFrames(topology, refId);
    if (req.nodePositions) frames[0] = withPositions(frames[0], topology, req.nodePositions);
    const ends = withKnownEnds(frames[0], frames[1]);
    frames[1] = withFigureFields(ends.edges, topology);
    const figures = figuresFrame(topology, refId);
    if (figures) frames.push(figures);
    const idleNotices = idle.hidden > 0 ? [{ severity: 'info' as const, text: idleNotice(idle.hidden) }] : [];
    const notices = [
      ...idleNotices,
      ...topology.warnings.map(warning),
      ...danglingNotices(ends.dropped),
      ...promNotices(warnings),
    ];
    if (notices.length > 0) frames[0].meta = { ...frames[0].meta, notices };
    return { frames };
  } catch (e) {
    return failure(refId, e);
  }
}

/**
 * Annotation rows: Grafana reads the fields time, timeEnd, title, text and tags, and drops the others, so the deploy's
 * fields the panel reads (workload, revision, commit link) follow the display tags as key:value tags.
 */
export function deploysFrame(
  events: readonly DeployAnnotation[],
  refId: string,
  warnings: readonly string[] = [],
): DataFrame {
  const f = (name: string, type: string, value: (e: DeployAnnotation) => unknown) => ({
    name,
    type,
    values: events.map(value),
    config: {},
  });
  return {
    name: 'deploys',
    refId,
    length: events.length,
    meta: { dataTopic: 'annotations', notices: promNotices(warnings) },
    fields: [
      f('time', 'time', (e) => e.time),
      f('timeEnd', 'time', (e) => e.timeEnd ?? null),
      f('title', 'string', (e) => e.title),
      f('text', 'string', (e) => e.text),
      f('tags', 'other', (e) => [...e.tags, ...tagsOf(e)]),
      f('id', 'string', (e) => e.id),
    ],
  } as DataFrame;
}

function tagsOf(e: DeployAnnotation): string[] {
  return deployTags({
    namespace: e.namespace,
    workload: e.workload,
    revision: e.revision,
    status: e.status,
    url: e.url,
  });
}

export async function runDeploys(
  client: PromClient,
  range: { fromMs: number; toMs: number; scrapeIntervalMs: number },
  filters: DeployFilters,
  refId: string,
  warnings: readonly string[],
  signal?: AbortSignal,
): Promise<TargetResult> {
  try {
    const events = await queryDeploys(client, range, filters, signal);
    return { frames: [deploysFrame(events, refId, warnings)] };
  } catch (e) {
    return failure(refId, e);
  }
}
