// The timeline strip: the play control, then the dashboard's range with how many nodes were present along it, the
// instant, the time axis (in the dashboard's zone), and the deploy markers (buttons: clicking one jumps to just
// after the deploy and shows the diff). Markers on the same pixels are one marker with a count that opens a list.
import React, { useRef, useState } from 'react';
import type { DeployMarker } from '../model/deploys';
import type { MarkerCluster } from '../model/markerClusters';
import type { Tick } from '../model/timeAxis';
import { PLAY_SPEEDS, type Playback, type PlaySpeed } from './usePlayback';

interface Props {
  width: number;
  from: number;
  to: number;
  instant: number;
  baseline: number | null;
  curve: number[];
  clusters: MarkerCluster[];
  ticks: Tick[];
  playback: Playback;
  formatTime: (t: number) => string;
  onScrub: (fraction: number) => void;
  onMarker: (marker: DeployMarker) => void;
  colors: { background: string; border: string; text: string; secondary: string };
}

export const STRIP_HEIGHT = 58;
/** Width of the play button and its speed, left of the track. */
export const PLAY_WIDTH = 92;
const CURVE_H = 30;
const MARKER_TOP = CURVE_H - 6;
const AXIS_Y = CURVE_H + 10;
const LIST_W = 280;

const markerLabel = (m: DeployMarker, formatTime: (t: number) => string) =>
  `Deploy ${m.title} at ${formatTime(m.time)}`;

function PlayControls({ playback, colors }: { playback: Playback; colors: Props['colors'] }) {
  return (
    <div style={{ width: PLAY_WIDTH, display: 'flex', gap: 4, alignItems: 'center', flexShrink: 0, paddingLeft: 4 }}>
      <button
        type="button"
        aria-label={playback.playing ? 'Pause' : 'Play'}
        aria-pressed={playback.playing}
        data-testid="timescope-play"
        onClick={playback.toggle}
        style={{
          width: 26,
          height: 24,
          background: 'transparent',
          color: colors.text,
          border: `1px solid ${colors.border}`,
          cursor: 'pointer',
        }}
      >
        {playback.playing ? '❚❚' : '▶'}
      </button>
      <select
        aria-label="Play speed"
        title="How long playing through the whole range takes"
        value={playback.speed}
        onChange={(e) => playback.setSpeed(Number(e.currentTarget.value) as PlaySpeed)}
        style={{ height: 24, width: 56, background: 'transparent', color: 'inherit' }}
      >
        {PLAY_SPEEDS.map((s) => (
          <option key={s} value={s}>
            {s < 60 ? `${s} s` : `${s / 60} min`}
          </option>
        ))}
      </select>
    </div>
  );
}

function Axis({
  ticks,
  xOf,
  width,
  color,
}: {
  ticks: Tick[];
  xOf: (t: number) => number;
  width: number;
  color: string;
}) {
  return (
    <g data-testid="timescope-axis">
      <line x1={0} x2={width} y1={AXIS_Y} y2={AXIS_Y} stroke={color} strokeOpacity={0.4} />
      {ticks.map((t) => {
        const x = xOf(t.time);
        const anchor = x < 18 ? 'start' : x > width - 18 ? 'end' : 'middle';
        return (
          <g key={t.time}>
            <line x1={x} x2={x} y1={AXIS_Y} y2={AXIS_Y + 3} stroke={color} />
            <text x={x} y={AXIS_Y + 14} fontSize={10} fill={color} textAnchor={anchor}>
              {t.label}
            </text>
          </g>
        );
      })}
    </g>
  );
}

export function TimelineStrip(props: Props) {
  const { from, to, instant, baseline, curve, clusters, formatTime, colors } = props;
  const width = Math.max(50, props.width - PLAY_WIDTH);
  const ref = useRef<HTMLDivElement>(null);
  const [open, setOpen] = useState<number | null>(null);
  const span = Math.max(1, to - from);
  const xOf = (t: number) => ((t - from) / span) * width;
  const max = Math.max(1, ...curve);
  const path = curve
    .map((c, i) => `${i === 0 ? 'M' : 'L'}${((i + 1) / curve.length) * width},${CURVE_H - (c / max) * (CURVE_H - 4)}`)
    .join(' ');
  const scrub = (clientX: number) => {
    const b = ref.current?.getBoundingClientRect();
    if (b && b.width > 0) props.onScrub((clientX - b.left) / b.width);
  };
  const onControl = (e: React.PointerEvent) => !!(e.target as HTMLElement).closest('button, [data-deploy-list]');
  const cluster = open !== null ? clusters.find((c) => c.markers[0].time === open) : undefined;
  return (
    <div style={{ display: 'flex', height: STRIP_HEIGHT, flexShrink: 0 }}>
      <PlayControls playback={props.playback} colors={colors} />
      <div
        ref={ref}
        data-testid="timescope-timeline"
        style={{ position: 'relative', width, height: STRIP_HEIGHT, cursor: 'ew-resize', userSelect: 'none' }}
        onPointerDown={(e) => {
          if (onControl(e)) return;
          setOpen(null);
          e.currentTarget.setPointerCapture?.(e.pointerId);
          scrub(e.clientX);
        }}
        onPointerMove={(e) => {
          if (e.buttons & 1 && !onControl(e)) scrub(e.clientX);
        }}
      >
        <svg width={width} height={STRIP_HEIGHT} style={{ position: 'absolute', left: 0, top: 0 }} aria-hidden="true">
          <rect x={0} y={0} width={width} height={CURVE_H} fill="rgba(128,128,128,0.08)" />
          {path && <path d={path} fill="none" stroke="rgba(115,191,105,0.8)" strokeWidth={1.5} />}
          <Axis ticks={props.ticks} xOf={xOf} width={width} color={colors.secondary} />
          {baseline !== null && (
            <line x1={xOf(baseline)} x2={xOf(baseline)} y1={0} y2={CURVE_H} stroke="#f85149" strokeDasharray="3 2" />
          )}
          <line x1={xOf(instant)} x2={xOf(instant)} y1={0} y2={AXIS_Y} stroke="#ff9830" strokeWidth={2} />
        </svg>
        {clusters.map((c) => {
          const first = c.markers[0];
          const many = c.markers.length > 1;
          const last = c.markers[c.markers.length - 1];
          return (
            <button
              key={first.time}
              type="button"
              data-testid={many ? 'timescope-deploy-cluster' : 'timescope-deploy-marker'}
              aria-label={
                many
                  ? `${c.markers.length} deploys from ${formatTime(first.time)} to ${formatTime(last.time)}`
                  : markerLabel(first, formatTime)
              }
              aria-expanded={many ? open === first.time : undefined}
              title={
                many
                  ? `${c.markers.length} deploys: click for the list`
                  : `${first.title}${first.revision ? ` @ ${first.revision.slice(0, 12)}` : ''}\n${formatTime(first.time)}`
              }
              onClick={() => (many ? setOpen(open === first.time ? null : first.time) : props.onMarker(first))}
              style={{
                position: 'absolute',
                left: c.x - (many ? 9 : 5),
                top: MARKER_TOP,
                width: many ? 18 : 10,
                height: 14,
                padding: 0,
                border: 'none',
                borderRadius: many ? 7 : 0,
                background: '#5794f2',
                color: '#fff',
                fontSize: 9,
                fontWeight: 700,
                lineHeight: '14px',
                clipPath: many ? undefined : 'polygon(50% 0, 100% 100%, 0 100%)',
                cursor: 'pointer',
              }}
            >
              {many ? (c.markers.length > 99 ? '99+' : c.markers.length) : null}
            </button>
          );
        })}
        {cluster && (
          <div
            data-deploy-list
            data-testid="timescope-deploy-list"
            role="list"
            onKeyDown={(e) => {
              if (e.key === 'Escape') setOpen(null);
            }}
            style={{
              position: 'absolute',
              bottom: STRIP_HEIGHT - MARKER_TOP + 2,
              left: Math.max(0, Math.min(width - LIST_W, cluster.x - LIST_W / 2)),
              width: LIST_W,
              maxHeight: 200,
              overflow: 'auto',
              background: colors.background,
              border: `1px solid ${colors.border}`,
              zIndex: 3,
              cursor: 'default',
              fontSize: 12,
            }}
          >
            {cluster.markers.map((m, i) => (
              <div role="listitem" key={`${m.time}-${i}`}>
                <button
                  type="button"
                  data-testid="timescope-deploy-entry"
                  aria-label={markerLabel(m, formatTime)}
                  onClick={() => {
                    setOpen(null);
                    props.onMarker(m);
                  }}
                  style={{
                    display: 'block',
                    width: '100%',
                    textAlign: 'left',
                    background: 'none',
                    border: 'none',
                    padding: '2px 6px',
                    color: colors.text,
                    cursor: 'pointer',
                    whiteSpace: 'nowrap',
                    overflow: 'hidden',
                    textOverflow: 'ellipsis',
                  }}
                >
                  {`${formatTime(m.time)}  ${m.workload || m.title}${m.revision ? ` @ ${m.revision.slice(0, 12)}` : ''}`}
                </button>
              </div>
            ))}
          </div>
        )}
      </div>
    </div>
  );
}
