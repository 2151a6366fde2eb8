// The controls above the graph: mode, instant (in the dashboard's time zone), diff, zoom, view, search; while a
// deploy's diff is shown, its changes nearest the deployed workload first.
import React from 'react';
import { Button, Input, RadioButtonGroup, useTheme2 } from '@grafana/ui';
import type { Change } from '../model/deployFocus';
import type { DeployMarker } from '../model/deploys';
import type { Diff } from '../model/diff';
import { VIEWS } from '@timescope/common';
import { VIEW_LABELS, type Mode } from '../options';
import { StatusColor } from '../render/palette';

interface Props {
  mode: Mode;
  instantText: string;
  /** Live, showing the instant of another panel's crosshair */
  preview?: boolean;
  diff?: Diff;
  diffOn: boolean;
  /** the deploy whose diff is shown, if the diff came from a deploy marker */
  deploy: DeployMarker | null;
  view: string;
  search: string;
  searchError?: string;
  matches?: number;
  /** a deploy's changes, nearest the deployed workload first */
  changes?: Change[];
  onChangeSelect: (id: string) => void;
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
const DIFF_BAR_HEIGHT = 24;

/**
 * Height of the controls: one row, plus a second one holding the diff's counts and deploy while a diff is shown,
 * and a third with the deploy's changes.
 */
export function toolbarHeight(diffOn: boolean, changes = false): number {
  return TOOLBAR_HEIGHT + (diffOn ? DIFF_BAR_HEIGHT : 0) + (diffOn && changes ? DIFF_BAR_HEIGHT : 0);
}

const MAX_CHANGES = 12;

function distanceText(d: number): string {
  return d < 0 ? 'not connected' : d === 0 ? 'deployed' : d === 1 ? '1 hop' : `${d} hops`;
}

function ChangeList({ changes, onSelect }: { changes: Change[]; onSelect: (id: string) => void }) {
  return (
    <div data-testid="timescope-changes" style={{ ...row, height: DIFF_BAR_HEIGHT, gap: 6 }}>
      <span style={{ ...nowrap, opacity: 0.7 }}>{changes.length ? 'Changes, nearest first:' : 'No changes'}</span>
      {changes.slice(0, MAX_CHANGES).map((c) => (
        <button
          key={`${c.entity}:${c.id}`}
          type="button"
          data-testid="timescope-change"
          data-id={c.id}
          data-distance={c.distance}
          title={`${c.status} ${c.entity}, ${distanceText(c.distance)}`}
          onClick={() => c.entity === 'node' && onSelect(c.id)}
          style={{
            ...nowrap,
            background: 'none',
            border: `1px solid ${StatusColor[c.status]}`,
            borderRadius: 2,
            color: 'inherit',
            padding: '0 4px',
            fontSize: 11,
            cursor: c.entity === 'node' ? 'pointer' : 'default',
            maxWidth: 220,
            overflow: 'hidden',
            textOverflow: 'ellipsis',
          }}
        >
          <span style={{ color: StatusColor[c.status] }}>{c.status === 'added' ? '+' : '−'}</span>
          {` ${c.label} `}
          <span style={{ opacity: 0.6 }}>{`(${distanceText(c.distance)})`}</span>
        </button>
      ))}
      {changes.length > MAX_CHANGES && <span style={nowrap}>{`and ${changes.length - MAX_CHANGES} more`}</span>}
    </div>
  );
}

const row = { display: 'flex', gap: 8, alignItems: 'center', overflow: 'hidden' } as const;
const nowrap = { whiteSpace: 'nowrap', flexShrink: 0 } as const;

function DiffBar({ diff, deploy }: { diff?: Diff; deploy: DeployMarker | null }) {
  const c = diff?.counts;
  const link = useTheme2().colors.text.link;
  return (
    <div style={{ ...row, height: DIFF_BAR_HEIGHT }}>
      {c && (
        <span data-testid="timescope-diff-counts" style={nowrap}>
          <span style={{ color: StatusColor.added }}>{`+${c.addedNodes} nodes +${c.addedEdges} edges`}</span>{' '}
          <span style={{ color: StatusColor.removed }}>{`−${c.removedNodes} nodes −${c.removedEdges} edges`}</span>
        </span>
      )}
      {deploy && (
        <span
          data-testid="timescope-deploy"
          style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', minWidth: 0 }}
        >
          {'against just before the deploy of '}
          <strong>{deploy.workload || deploy.title}</strong>
          {deploy.revision ? ` @ ${deploy.revision.slice(0, 12)} ` : ' '}
          {deploy.url && (
            <a
              href={deploy.url}
              target="_blank"
              rel="noopener noreferrer"
              style={{ color: link, textDecoration: 'underline' }}
            >
              commit
            </a>
          )}
          {deploy.text ? ` — ${deploy.text.split('\n')[0]}` : ''}
        </span>
      )}
    </div>
  );
}

export function Toolbar(p: Props) {
  return (
    <div data-testid="timescope-toolbar" style={{ height: toolbarHeight(p.diffOn, !!p.changes), flexShrink: 0 }}>
      <div style={{ ...row, height: TOOLBAR_HEIGHT }}>
        <div style={nowrap}>
          <RadioButtonGroup size="sm" options={MODES} value={p.mode} onChange={(m) => p.onMode(m)} />
        </div>
        <span data-testid="timescope-instant" style={{ ...nowrap, fontVariantNumeric: 'tabular-nums' }}>
          {p.instantText}
        </span>
        {p.preview && (
          <span
            data-testid="timescope-preview"
            title="The instant of the other panel's cursor; Live again when it leaves"
            style={{ ...nowrap, opacity: 0.7, fontStyle: 'italic' }}
          >
            crosshair preview
          </span>
        )}
        <Button size="sm" variant={p.diffOn ? 'primary' : 'secondary'} onClick={p.onDiff} aria-pressed={p.diffOn}>
          Diff
        </Button>
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
          style={{ height: 24, background: 'transparent', color: 'inherit', flexShrink: 0 }}
        >
          {!p.view && <option value="">view</option>}
          {VIEWS.map((v) => (
            <option key={v} value={v}>
              {VIEW_LABELS[v]}
            </option>
          ))}
        </select>
        <div style={{ flex: 1, minWidth: 120, maxWidth: 360 }}>
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
      {p.diffOn && <DiffBar diff={p.diff} deploy={p.deploy} />}
      {p.diffOn && p.changes && <ChangeList changes={p.changes} onSelect={p.onChangeSelect} />}
    </div>
  );
}
