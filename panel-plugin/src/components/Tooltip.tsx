// The hover tooltip over the graph: name and main stats of the node or edge under the pointer. Text nodes only:
// a name written as markup shows as typed.
import React from 'react';
import type { TooltipText } from '../model/tooltip';

interface Props {
  text: TooltipText;
  /** pointer position in the graph area */
  x: number;
  y: number;
  /** the graph area's size, to keep the tooltip inside it */
  width: number;
  height: number;
  colors: { background: string; border: string; secondary: string };
}

const W = 260;

export function Tooltip({ text, x, y, width, height, colors }: Props) {
  const left = x + 14 + W > width ? Math.max(0, x - 14 - W) : x + 14;
  const top = Math.min(Math.max(0, y + 14), Math.max(0, height - 24 - 16 * (text.lines.length + 1)));
  return (
    <div
      data-testid="timescope-tooltip"
      data-entity={text.entity}
      role="tooltip"
      style={{
        position: 'absolute',
        left,
        top,
        maxWidth: W,
        padding: '4px 8px',
        background: colors.background,
        border: `1px solid ${colors.border}`,
        borderRadius: 2,
        pointerEvents: 'none',
        fontSize: 12,
        lineHeight: '16px',
        zIndex: 2,
        boxShadow: '0 2px 6px rgba(0,0,0,0.3)',
      }}
    >
      <div data-testid="timescope-tooltip-title" style={{ fontWeight: 500, wordBreak: 'break-all' }}>
        {text.title}
      </div>
      {text.lines.map((l, i) => (
        <div key={i} style={{ color: colors.secondary, wordBreak: 'break-all' }}>
          {l}
        </div>
      ))}
    </div>
  );
}
