// A second, ordinary time-series panel on the host's dashboard: draws one series and the shared crosshair
// (DataHoverEvent on the dashboard's event bus), and publishes its own hover like Grafana's graph panels do.
import { DataHoverClearEvent, DataHoverEvent, type EventBus } from '@grafana/data';
import React, { useEffect, useState } from 'react';

interface Props {
  points: Array<[number, number]>;
  from: number;
  to: number;
  width: number;
  height: number;
  eventBus: EventBus;
  title: string;
}

export function SeriesPanel({ points, from, to, width, height, eventBus, title }: Props) {
  const [cursor, setCursor] = useState<number | null>(null);
  useEffect(() => {
    const a = eventBus.getStream(DataHoverEvent).subscribe((e) => {
      const t = e.payload.point?.time;
      if (typeof t === 'number') setCursor(t);
    });
    const b = eventBus.getStream(DataHoverClearEvent).subscribe(() => setCursor(null));
    return () => {
      a.unsubscribe();
      b.unsubscribe();
    };
  }, [eventBus]);
  const span = Math.max(1, to - from);
  const max = Math.max(1, ...points.map((p) => p[1]));
  const h = height - 24;
  const x = (t: number) => ((t - from) / span) * width;
  const y = (v: number) => h - (v / max) * (h - 8);
  const d = points.map(([t, v], i) => `${i ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  return (
    <div
      data-testid="series-panel"
      data-cursor-time={cursor ?? ''}
      style={{ width, height, border: '1px solid #8884', boxSizing: 'border-box' }}
    >
      <div style={{ fontSize: 12, padding: '2px 6px' }}>{title}</div>
      <svg
        width={width}
        height={h}
        onMouseMove={(e) => {
          const b = e.currentTarget.getBoundingClientRect();
          const t = from + ((e.clientX - b.left) / b.width) * span;
          eventBus.publish(new DataHoverEvent({ point: { time: t } }));
        }}
        onMouseLeave={() => eventBus.publish(new DataHoverClearEvent())}
      >
        <path d={d} fill="none" stroke="#73bf69" strokeWidth={1.5} />
        {cursor !== null && <line x1={x(cursor)} x2={x(cursor)} y1={0} y2={h} stroke="#ff9830" strokeDasharray="4 3" />}
      </svg>
    </div>
  );
}
