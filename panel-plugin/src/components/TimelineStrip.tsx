// The timeline strip: the dashboard's range, how many nodes were present along it, the instant, and the deploy
// markers (buttons: clicking one jumps to just after the deploy and shows the diff).
import React, { useRef } from 'react';
import type { DeployMarker } from '../model/deploys';

interface Props {
  width: number;
  from: number;
  to: number;
  instant: number;
  baseline: number | null;
  curve: number[];
  markers: DeployMarker[];
  formatTime: (t: number) => string;
  onScrub: (fraction: number) => void;
  onMarker: (marker: DeployMarker) => void;
}

export const STRIP_HEIGHT = 40;

export function TimelineStrip(props: Props) {
  const { width, from, to, instant, baseline, curve, markers, formatTime } = props;
  const ref = useRef<HTMLDivElement>(null);
  const span = Math.max(1, to - from);
  const xOf = (t: number) => ((t - from) / span) * width;
  const max = Math.max(1, ...curve);
  const h = STRIP_HEIGHT - 14;
  const path = curve
    .map((c, i) => `${i === 0 ? 'M' : 'L'}${((i + 0.5) / curve.length) * width},${h - (c / max) * (h - 4)}`)
    .join(' ');
  const scrub = (clientX: number) => {
    const b = ref.current?.getBoundingClientRect();
    if (b && b.width > 0) props.onScrub((clientX - b.left) / b.width);
  };
  return (
    <div
      ref={ref}
      data-testid="timescope-timeline"
      style={{ position: 'relative', width, height: STRIP_HEIGHT, cursor: 'ew-resize', userSelect: 'none' }}
      onPointerDown={(e) => {
        if ((e.target as HTMLElement).closest('button')) return;
        e.currentTarget.setPointerCapture?.(e.pointerId);
        scrub(e.clientX);
      }}
      onPointerMove={(e) => {
        if (e.buttons & 1 && !(e.target as HTMLElement).closest('button')) scrub(e.clientX);
      }}
    >
      <svg width={width} height={STRIP_HEIGHT} style={{ position: 'absolute', left: 0, top: 0 }} aria-hidden="true">
        <rect x={0} y={0} width={width} height={h} fill="rgba(128,128,128,0.08)" />
        {path && <path d={path} fill="none" stroke="rgba(115,191,105,0.8)" strokeWidth={1.5} />}
        {baseline !== null && (
          <line x1={xOf(baseline)} x2={xOf(baseline)} y1={0} y2={h} stroke="#f85149" strokeDasharray="3 2" />
        )}
        <line x1={xOf(instant)} x2={xOf(instant)} y1={0} y2={STRIP_HEIGHT} stroke="#ff9830" strokeWidth={2} />
      </svg>
      {markers
        .filter((m) => m.time >= from && m.time <= to)
        .map((m, i) => (
          <button
            key={`${m.time}-${i}`}
            type="button"
            data-testid="timescope-deploy-marker"
            aria-label={`Deploy ${m.title} at ${formatTime(m.time)}`}
            title={`${m.title}${m.revision ? ` @ ${m.revision.slice(0, 12)}` : ''}\n${formatTime(m.time)}`}
            onClick={() => props.onMarker(m)}
            style={{
              position: 'absolute',
              left: xOf(m.time) - 5,
              top: h - 2,
              width: 10,
              height: 14,
              padding: 0,
              border: 'none',
              background: '#5794f2',
              clipPath: 'polygon(50% 0, 100% 100%, 0 100%)',
              cursor: 'pointer',
            }}
          />
        ))}
    </div>
  );
}
