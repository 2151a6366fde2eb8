// The query editor: view, mode (and instant), filters, grouping and the edge source; or, for annotations, the
// deploy filters. Every value typed here is escaped when it reaches PromQL.
import type { QueryEditorProps, SelectableValue } from '@grafana/data';
import { InlineField, InlineFieldRow, Input, MultiSelect, RadioButtonGroup, Select } from '@grafana/ui';
import type { ChangeEvent, ReactElement } from 'react';
import { ADAPTERS } from '../core/adapters';
import {
  DEFAULT_QUERY,
  EDGE_SOURCES,
  type EdgeSource,
  type Grouping,
  type Mode,
  type NodePositions,
  type View,
  VIEWS,
} from '../core/query';
import type { TopologyDataSource } from '../datasource';
import type { TopologyOptions, TopologyQuery } from '../types';

type Props = QueryEditorProps<TopologyDataSource, TopologyQuery, TopologyOptions>;

const VIEW_OPTIONS: SelectableValue<View>[] = VIEWS.map((v) => ({ label: v[0].toUpperCase() + v.slice(1), value: v }));
const MODE_OPTIONS: SelectableValue<Mode>[] = [
  { label: 'At an instant', value: 'instant', description: 'The graph at the end of the range, or at the time given' },
  { label: 'Over the range', value: 'range', description: 'Everything seen at any step of the range' },
  { label: 'Diff', value: 'diff', description: 'The start of the range against its end' },
];
const GROUP_OPTIONS: SelectableValue<Grouping>[] = [
  { label: 'None', value: 'none' },
  { label: 'Namespace', value: 'namespace' },
  { label: 'Host', value: 'host' },
];
const SOURCE_OPTIONS: SelectableValue<EdgeSource>[] = EDGE_SOURCES.map((s) => ({
  label: ADAPTERS[s].label,
  value: s,
  description: needsText(s),
}));

/** What an edge source reads: its metric and the labels its series must carry (shown before a query is run). */
function needsText(s: EdgeSource): string {
  const a = ADAPTERS[s];
  return `${a.defaultMetric}; needs labels ${a.needs.join(', ')}`;
}

/** The edge sources a query reads: its list, or its single source. */
function sourcesOf(q: TopologyQuery): EdgeSource[] {
  return q.edgeSources && q.edgeSources.length > 0 ? q.edgeSources : [q.edgeSource ?? DEFAULT_QUERY.edgeSource];
}

/** A patch setting the sources: one is `edgeSource` (as before), several are `edgeSources`. */
function sourcesPatch(list: EdgeSource[]): Partial<TopologyQuery> {
  if (list.length <= 1) return { edgeSource: list[0] ?? DEFAULT_QUERY.edgeSource, edgeSources: undefined };
  return { edgeSource: list[0], edgeSources: list };
}

type Metrics = Partial<Record<EdgeSource, string>>;

/** The metric typed for each of `sources`: its `edgeMetrics` entry, or (one source) the older single `edgeMetric`. */
function metricsOf(q: TopologyQuery, sources: EdgeSource[]): Metrics {
  const out: Metrics = {};
  for (const s of sources) {
    const m = q.edgeMetrics?.[s] || (sources.length === 1 ? q.edgeMetric : undefined);
    if (m) out[s] = m;
  }
  return out;
}

/** A patch keeping `metrics` for `sources` only: the map is the one place they live (the single field is folded in). */
function metricsPatch(metrics: Metrics, sources: EdgeSource[]): Partial<TopologyQuery> {
  const kept: Metrics = {};
  for (const s of sources) if (metrics[s]) kept[s] = metrics[s];
  return { edgeMetric: undefined, edgeMetrics: Object.keys(kept).length > 0 ? kept : undefined };
}
const POSITION_OPTIONS: SelectableValue<NodePositions>[] = [
  {
    label: 'Off',
    value: 'off',
    description: "Grafana's Node Graph lays the graph out itself, afresh on every refresh",
  },
  { label: 'Layered', value: 'layered', description: "Our panel's layered layout: callers above callees" },
  { label: 'Force', value: 'force', description: "Our panel's force layout" },
];
const IDLE_OPTIONS: SelectableValue<'hide' | 'show'>[] = [
  {
    label: 'Hide',
    value: 'hide',
    description: 'Only the processes with a connection in the range (a notice counts the rest)',
  },
  { label: 'Show', value: 'show', description: 'Every process, with or without a connection' },
];
const TYPE_OPTIONS = [
  { label: 'Topology', value: 'topology' as const },
  { label: 'Deploys', value: 'deploys' as const },
];

export function QueryEditor({ query, onChange, onRunQuery }: Props): ReactElement {
  const q = { ...DEFAULT_QUERY, ...query };
  const set = (patch: Partial<TopologyQuery>, run = true): void => {
    onChange({ ...query, ...patch });
    if (run) onRunQuery();
  };
  const text = (key: 'namespace' | 'host' | 'kind' | 'name' | 'time' | 'workload', label: string, tip: string) => (
    <InlineField label={label} tooltip={tip}>
      <Input
        width={20}
        value={q[key] ?? ''}
        onChange={(e: ChangeEvent<HTMLInputElement>) => set({ [key]: e.currentTarget.value }, false)}
        onBlur={() => onRunQuery()}
      />
    </InlineField>
  );
  const sources = sourcesOf(q);
  const metrics = metricsOf(q, sources);
  const setSources = (list: EdgeSource[]): void => set({ ...sourcesPatch(list), ...metricsPatch(metrics, list) });
  // One metric per selected source, so a mix (say, ours with a prefixed OTel connector metric) needs no JSON.
  const metricField = (s: EdgeSource) => (
    <InlineField
      key={s}
      label={`${ADAPTERS[s].label} metric`}
      tooltip={`Edge metric; empty: ${ADAPTERS[s].defaultMetric}`}
    >
      <Input
        width={36}
        value={metrics[s] ?? ''}
        placeholder={ADAPTERS[s].defaultMetric}
        onChange={(e: ChangeEvent<HTMLInputElement>) =>
          set(metricsPatch({ ...metrics, [s]: e.currentTarget.value.trim() }, sources), false)
        }
        onBlur={() => onRunQuery()}
      />
    </InlineField>
  );

  return (
    <>
      <InlineFieldRow>
        <InlineField label="Query">
          <RadioButtonGroup options={TYPE_OPTIONS} value={q.queryType} onChange={(v) => set({ queryType: v })} />
        </InlineField>
      </InlineFieldRow>
      {q.queryType === 'deploys' ? (
        <InlineFieldRow>
          {text('namespace', 'Namespace', 'Exact namespace(s); $variables allowed')}
          {text('workload', 'Workload', 'Exact workload name(s); $variables allowed')}
          {text('kind', 'Kind', 'Workload kind(s), e.g. Deployment')}
        </InlineFieldRow>
      ) : (
        <>
          <InlineFieldRow>
            <InlineField label="View">
              <Select width={16} options={VIEW_OPTIONS} value={q.view} onChange={(v) => set({ view: v.value })} />
            </InlineField>
            <InlineField label="Mode">
              <RadioButtonGroup options={MODE_OPTIONS} value={q.mode} onChange={(v) => set({ mode: v })} />
            </InlineField>
            {q.mode === 'instant' &&
              text(
                'time',
                'Instant',
                'ms since the epoch or a Grafana time such as now-1h; empty: the end of the range',
              )}
          </InlineFieldRow>
          <InlineFieldRow>
            {text('namespace', 'Namespace', 'Exact namespace(s); $variables allowed')}
            {text('host', 'Host', 'Exact host name(s); $variables allowed')}
            {text('kind', 'Kind', 'Workload kind(s) for the workload and pod views, e.g. Deployment')}
            {text('name', 'Name', 'A regex on the node name')}
          </InlineFieldRow>
          <InlineFieldRow>
            <InlineField label="Group by">
              <RadioButtonGroup options={GROUP_OPTIONS} value={q.groupBy} onChange={(v) => set({ groupBy: v })} />
            </InlineField>
            <InlineField
              label="Edges from"
              tooltip={`Several sources make one graph, edges merged on node ids. ${sources.map(needsText).join('. ')}`}
            >
              <MultiSelect<EdgeSource>
                width={40}
                options={SOURCE_OPTIONS}
                value={sources}
                onChange={(v) => setSources(v.map((x) => x.value).filter((x): x is EdgeSource => !!x))}
              />
            </InlineField>
          </InlineFieldRow>
          <InlineFieldRow>{sources.map(metricField)}</InlineFieldRow>
          <InlineFieldRow>
            <InlineField
              label="Node positions"
              tooltip="fixedX / fixedY from our panel's layout over the whole range, for Grafana's Node Graph panel: nodes stay where they are while time moves"
            >
              <RadioButtonGroup
                options={POSITION_OPTIONS}
                value={q.nodePositions ?? 'off'}
                onChange={(v) => set({ nodePositions: v })}
              />
            </InlineField>
            <InlineField label="Idle processes" tooltip="Process view: processes without any connection in the range">
              <RadioButtonGroup
                options={IDLE_OPTIONS}
                value={q.idleProcesses ?? 'show'}
                onChange={(v) => set({ idleProcesses: v })}
              />
            </InlineField>
          </InlineFieldRow>
        </>
      )}
    </>
  );
}
