// The legend over the graph's corner: what the node colours are (kinds present, or statuses), the diff's colours,
// what an edge's thickness means, and the strip's deploy markers. Collapsible; its state is the user's.
import React, { useState } from 'react';
import type { ColorBy, EdgeMetric } from '../render/types';
import { kindColor, StatusColor } from '../render/palette';

interface Props {
  /** the node kinds in the graph, most frequent first */
  kinds: string[];
  colorBy: ColorBy;
  edgeMetric: EdgeMetric;
  /** what the edges' main stat is (its display name) and its largest value */
  edgeStat: { name: string; max: number };
  diffOn: boolean;
  open: boolean;
  colors: { background: string; border: string; secondary: string };
}

const dot = (color: string, dashed = false, alpha = 1): React.CSSProperties => ({
  display: 'inline-block',
  width: 10,
  height: 10,
  borderRadius: 5,
  background: dashed ? 'transparent' : color,
  border: `2px ${dashed ? 'dashed' : 'solid'} ${color}`,
  opacity: alpha,
  marginRight: 6,
  verticalAlign: 'middle',
  boxSizing: 'border-box',
});

function Row({ swatch, children }: { swatch: React.ReactNode; children: React.ReactNode }) {
  return (
    <div style={{ whiteSpace: 'nowrap', lineHeight: '16px' }}>
      {swatch}
      {children}
    </div>
  );
}

function thicknessText(metric: EdgeMetric, stat: { name: string; max: number }): string {
  if (metric === 'none') return 'all edges have the same width';
  if (metric === 'thickness') return "width: the data's thickness field";
  const max = stat.max > 0 ? `, thickest ${Math.round(stat.max * 100) / 100}` : '';
  return `width: ${stat.name.toLowerCase()} (square root${max})`;
}

export function Legend(p: Props) {
  const [open, setOpen] = useState(p.open);
  const kinds = p.kinds.slice(0, 8);
  const heading = { fontSize: 11, opacity: 0.7, textTransform: 'uppercase', marginTop: 4 } as const;
  return (
    <div
      data-testid="timescope-legend"
      style={{
        position: 'absolute',
        left: 6,
        bottom: 6,
        padding: open ? '4px 8px' : 0,
        background: open ? p.colors.background : 'transparent',
        border: open ? `1px solid ${p.colors.border}` : 'none',
        borderRadius: 2,
        fontSize: 12,
        zIndex: 1,
        maxWidth: 280,
        // the graph stays draggable and hoverable under the legend; only its toggle takes the pointer
        pointerEvents: 'none',
      }}
    >
      <button
        type="button"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        style={{
          background: 'none',
          border: 'none',
          padding: 0,
          color: p.colors.secondary,
          cursor: 'pointer',
          pointerEvents: 'auto',
        }}
      >
        {open ? '▾ Legend' : '▸ Legend'}
      </button>
      {open && (
        <div data-testid="timescope-legend-body">
          <div style={heading}>Nodes</div>
          {p.colorBy === 'kind' &&
            kinds.map((k) => (
              <Row key={k} swatch={<span style={dot(kindColor(k))} />}>
                {k || 'other'}
              </Row>
            ))}
          {p.colorBy === 'kind' && p.kinds.length > kinds.length && (
            <Row swatch={null}>{`and ${p.kinds.length - kinds.length} more kinds`}</Row>
          )}
          {p.colorBy === 'status' && <Row swatch={null}>coloured by the change status (below)</Row>}
          {p.colorBy === 'field' && <Row swatch={null}>{"coloured by the data's color field"}</Row>}
          <div style={heading}>{p.diffOn ? 'Diff (on)' : 'Diff'}</div>
          <Row swatch={<span style={dot(StatusColor.added)} />}>added</Row>
          <Row swatch={<span style={dot(StatusColor.removed, true)} />}>removed (dashed)</Row>
          <Row swatch={<span style={dot(StatusColor.unchanged, false, 0.45)} />}>unchanged (faint)</Row>
          <div style={heading}>Edges</div>
          <Row
            swatch={
              <svg width={34} height={10} style={{ marginRight: 6, verticalAlign: 'middle' }} aria-hidden="true">
                <line x1={0} y1={5} x2={14} y2={5} stroke={p.colors.secondary} strokeWidth={1} />
                <line x1={18} y1={5} x2={34} y2={5} stroke={p.colors.secondary} strokeWidth={5} />
              </svg>
            }
          >
            {thicknessText(p.edgeMetric, p.edgeStat)}
          </Row>
          <Row swatch={null}>arrows point from the caller to the callee</Row>
          <div style={heading}>Timeline</div>
          <Row
            swatch={
              <span style={{ ...dot('#5794f2'), borderRadius: 0, clipPath: 'polygon(50% 0, 100% 100%, 0 100%)' }} />
            }
          >
            a deploy; a number is several deploys
          </Row>
        </div>
      )}
    </div>
  );
}
