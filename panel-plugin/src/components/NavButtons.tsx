// Fit-to-view and reset, over the graph's top-right corner.
import React from 'react';
import type { CanvasNav } from './GraphCanvas';

interface Props {
  nav: React.MutableRefObject<CanvasNav | null>;
  colors: { background: string; border: string; text: string };
}

export function NavButtons({ nav, colors }: Props) {
  const style: React.CSSProperties = {
    background: colors.background,
    color: colors.text,
    border: `1px solid ${colors.border}`,
    fontSize: 12,
    padding: '1px 6px',
    cursor: 'pointer',
  };
  return (
    <div style={{ position: 'absolute', right: 6, top: 6, display: 'flex', gap: 4, zIndex: 1 }}>
      <button type="button" style={style} title="Fit what is drawn at this instant" onClick={() => nav.current?.fit()}>
        Fit
      </button>
      <button type="button" style={style} title="Back to the whole graph" onClick={() => nav.current?.reset()}>
        Reset
      </button>
    </div>
  );
}
