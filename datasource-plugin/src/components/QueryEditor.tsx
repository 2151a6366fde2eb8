// The query editor: view, mode (and instant), filters, grouping and the edge source; or, for annotations, the
// deploy filters. Every value typed here is escaped when it reaches PromQL.
import type { QueryEditorProps, SelectableValue } from '@grafana/data';
import { InlineField, InlineFieldRow, Input, RadioButtonGroup, Select } from '@grafana/ui';
import type { ChangeEvent, ReactElement } from 'react';
import { ADAPTERS } from '../core/adapters';
import {
  DEFAULT_QUERY,
  EDGE_SOURCES,
  type EdgeSource,
  type Grouping,
  type Mode,
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
const IDLE_OPTIONS: SelectableValue<'hide' | 'show'>[] = [
  {
    label: 'Hide',
    value: 'hide',
    description: 'Only the processes with a connection in the range (a notice counts the rest)',
  },
  { label: 'Show', value: 'show', description: 'Every process, with or without a connection' },
];
const SOURCE_OPTIONS: SelectableValue<EdgeSource>[] = EDGE_SOURCES.map((s) => ({ label: ADAPTERS[s].label, value: s }));
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
  const text = (
    key: 'namespace' | 'host' | 'kind' | 'name' | 'time' | 'edgeMetric' | 'workload',
    label: string,
    tip: string,
    width = 20,
  ) => (
    <InlineField label={label} tooltip={tip}>
      <Input
        width={width}
        value={q[key] ?? ''}
        onChange={(e: ChangeEvent<HTMLInputElement>) => set({ [key]: e.currentTarget.value }, false)}
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
            <InlineField label="Edges from">
              <Select
                width={24}
                options={SOURCE_OPTIONS}
                value={q.edgeSource}
                onChange={(v) => set({ edgeSource: v.value })}
              />
            </InlineField>
            {text('edgeMetric', 'Edge metric', `Default: ${ADAPTERS[q.edgeSource].defaultMetric}`, 36)}
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
