// The controls above the graph: mode, instant (in the dashboard's time zone), diff, zoom, view, search.
import React from 'react';
import { Button, Input, RadioButtonGroup } from '@grafana/ui';
import type { DeployMarker } from '../model/deploys';
import type { Diff } from '../model/diff';
import { VIEW_LABELS, VIEWS, type Mode } from '../options';

interface Props {
  mode: Mode;
  instantText: string;
  diff?: Diff;
  diffOn: boolean;
  /** the deploy whose diff is shown, if the diff came from a deploy marker */
  deploy: DeployMarker | null;
  view: string;
  search: string;
  searchError?: string;
  matches?: number;
  onMode: (m: Mode) => void;
  onDiff: () => void;
  onZoom: () => void;
  onView: (v: string) => void;
  onSearch: (s: string) => void;
}

const MODES: Array<{ label: string; value: Mode; description: string }> = [
  { label: 'Live', value: 'live', description: 'Follow the dashboard: the instant is the end of the range' },
  { label: 'Paused', value: 'paused', description: 'Hold the instant while the dashboard refreshes' },
  { label: 'Travel', value: 'travel', description: 'Scrub the timeline; arrow keys step by one query step' },
];

export const TOOLBAR_HEIGHT = 36;

export function Toolbar(p: Props) {
  const c = p.diff?.counts;
  return (
    <div
      style={{ display: 'flex', gap: 8, alignItems: 'center', height: TOOLBAR_HEIGHT, overflow: 'hidden' }}
      data-testid="timescope-toolbar"
    >
      <RadioButtonGroup size="sm" options={MODES} value={p.mode} onChange={(m) => p.onMode(m)} />
      <span data-testid="timescope-instant" style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
        {p.instantText}
      </span>
      <Button size="sm" variant={p.diffOn ? 'primary' : 'secondary'} onClick={p.onDiff} aria-pressed={p.diffOn}>
        Diff
      </Button>
      {c && (
        <span data-testid="timescope-diff-counts" style={{ whiteSpace: 'nowrap' }}>
          <span style={{ color: '#3fb950' }}>{`+${c.addedNodes} nodes +${c.addedEdges} edges`}</span>{' '}
          <span style={{ color: '#f85149' }}>{`−${c.removedNodes} nodes −${c.removedEdges} edges`}</span>
        </span>
      )}
      {p.deploy && (
        <span
          data-testid="timescope-deploy"
          style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}
        >
          {`${p.deploy.title}${p.deploy.revision ? ` @ ${p.deploy.revision.slice(0, 12)}` : ''} `}
          {p.deploy.url && (
            <a href={p.deploy.url} target="_blank" rel="noopener noreferrer" style={{ textDecoration: 'underline' }}>
              commit
            </a>
          )}
        </span>
      )}
      <Button
        size="sm"
        variant="secondary"
        icon="search-plus"
        onClick={p.onZoom}
        tooltip="Zoom the dashboard around the instant"
      >
        Zoom
      </Button>
      <select
        aria-label="View"
        value={p.view}
        onChange={(e) => p.onView(e.currentTarget.value)}
        style={{ height: 24, background: 'transparent', color: 'inherit' }}
      >
        {!p.view && <option value="">view</option>}
        {VIEWS.map((v) => (
          <option key={v} value={v}>
            {VIEW_LABELS[v]}
          </option>
        ))}
      </select>
      <div style={{ flex: 1, minWidth: 120, maxWidth: 320 }}>
        <Input
          aria-label="Search nodes"
          placeholder="Search: text, key:value or /regex/"
          value={p.search}
          invalid={!!p.searchError}
          title={p.searchError}
          onChange={(e) => p.onSearch(e.currentTarget.value)}
          suffix={p.matches !== undefined ? String(p.matches) : undefined}
        />
      </div>
    </div>
  );
}
