// The canvas: draws the scene, pans (drag) and zooms (wheel), reports hover and click by hit-testing.
// Pointer handling is native (not React) so panning redraws on animation frames without re-rendering React.
import React, { useCallback, useEffect, useLayoutEffect, useRef } from 'react';
import { CanvasRenderer } from '../render/renderer';
import { fitView, type RenderScene, type View } from '../render/scene';
import type { LabelMode } from '../options';

interface Props {
  scene: RenderScene;
  width: number;
  height: number;
  labels: LabelMode;
  /** changes when the layout changes: the view is fitted again */
  fitKey: unknown;
  onHover: (index: number) => void;
  onSelect: (index: number) => void;
  /** the JSON written to data-scene when it changes (for tests; computed lazily, after the drawing) */
  snapshot: () => string;
}

/** The attribute of the page's root element that asks the panel to describe its scene in data-scene. */
export const EXPOSE_SCENE = 'data-timescope-scene';

function exposeView(wrap: HTMLElement, view: View): void {
  wrap.setAttribute('data-view', JSON.stringify(view));
}

export function GraphCanvas({ scene, width, height, labels, fitKey, onHover, onSelect, snapshot }: Props) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const rendererRef = useRef<CanvasRenderer | null>(null);
  const frame = useRef(0);
  const callbacks = useRef({ onHover, onSelect });
  callbacks.current = { onHover, onSelect };
  // What the fit reads when the layout changes: the fit is not redone when only the styles or the size change.
  const fitInput = useRef({ scene, width, height });
  fitInput.current = { scene, width, height };

  // Stable (they read refs only), so the effects below that draw do not re-run for a new closure.
  const drawNow = useCallback(() => {
    const r = rendererRef.current;
    const wrap = wrapRef.current;
    if (!r || !wrap) return;
    r.draw();
    wrap.setAttribute('data-draws', String(r.draws));
    wrap.setAttribute('data-draw-ms', r.lastDrawMs.toFixed(2));
    wrap.setAttribute('data-drawn-at', String(performance.now()));
    exposeView(wrap, r.getView());
  }, []);
  const requestDraw = useCallback(() => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      drawNow();
    });
  }, [drawNow]);

  useLayoutEffect(() => {
    if (canvasRef.current && !rendererRef.current) rendererRef.current = new CanvasRenderer(canvasRef.current);
    return () => cancelAnimationFrame(frame.current);
  }, []);

  useLayoutEffect(() => {
    rendererRef.current?.resize(width, height);
  }, [width, height]);

  useLayoutEffect(() => {
    const r = rendererRef.current;
    const { scene: s, width: w, height: h } = fitInput.current;
    if (r) r.setView(fitView(s.x, s.y, s.boxes, w, h));
  }, [fitKey]);

  useLayoutEffect(() => {
    const r = rendererRef.current;
    if (!r) return;
    r.setLabels(labels);
    r.setScene(scene);
    drawNow();
  }, [scene, labels, width, height, drawNow]);

  // The scene description for tests is written after the frame, so it never delays drawing; `snapshot` changes
  // whenever what it describes does (the mode or the selection can change without a new drawing). Only pages that
  // ask for it (<html data-timescope-scene>, as the e2e plugin host does) pay for it: at 5,000 nodes it is ~20 ms.
  useEffect(() => {
    if (!document.documentElement.hasAttribute(EXPOSE_SCENE)) return;
    const t = setTimeout(() => wrapRef.current?.setAttribute('data-scene', snapshot()), 0);
    return () => clearTimeout(t);
  }, [snapshot]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    let drag: { x: number; y: number; tx: number; ty: number; moved: boolean } | null = null;
    let hovered = -1;
    const local = (e: MouseEvent) => {
      const b = canvas.getBoundingClientRect();
      return { x: e.clientX - b.left, y: e.clientY - b.top };
    };
    const down = (e: PointerEvent) => {
      const r = rendererRef.current;
      if (!r || e.button !== 0) return;
      const p = local(e);
      const v = r.getView();
      drag = { x: p.x, y: p.y, tx: v.tx, ty: v.ty, moved: false };
      canvas.setPointerCapture?.(e.pointerId);
    };
    const move = (e: PointerEvent) => {
      const r = rendererRef.current;
      if (!r) return;
      const p = local(e);
      if (drag) {
        const dx = p.x - drag.x;
        const dy = p.y - drag.y;
        if (!drag.moved && Math.abs(dx) + Math.abs(dy) > 3) {
          drag.moved = true;
          r.beginPan();
        }
        if (drag.moved) {
          r.setView({ scale: r.getView().scale, tx: drag.tx + dx, ty: drag.ty + dy });
          requestDraw();
        }
        return;
      }
      const hit = r.hit(p.x, p.y);
      if (hit !== hovered) {
        hovered = hit;
        canvas.style.cursor = hit >= 0 ? 'pointer' : 'grab';
        callbacks.current.onHover(hit);
      }
    };
    const up = (e: PointerEvent) => {
      const r = rendererRef.current;
      if (!r || !drag) return;
      const wasClick = !drag.moved;
      drag = null;
      if (wasClick) {
        const p = local(e);
        callbacks.current.onSelect(r.hit(p.x, p.y));
      } else {
        // the full drawing again: labels and culling for the new viewport
        r.endPan();
        requestDraw();
      }
    };
    const cancel = () => {
      if (!drag) return;
      drag = null;
      rendererRef.current?.endPan();
      requestDraw();
    };
    const leave = () => {
      if (hovered !== -1) {
        hovered = -1;
        callbacks.current.onHover(-1);
      }
    };
    const wheel = (e: WheelEvent) => {
      const r = rendererRef.current;
      if (!r) return;
      e.preventDefault();
      const p = local(e);
      const v = r.getView();
      const k = Math.exp(-e.deltaY * 0.0015);
      const scale = Math.min(8, Math.max(0.01, v.scale * k));
      const f = scale / v.scale;
      r.setView({ scale, tx: p.x - (p.x - v.tx) * f, ty: p.y - (p.y - v.ty) * f });
      requestDraw();
    };
    canvas.addEventListener('pointerdown', down);
    canvas.addEventListener('pointermove', move);
    canvas.addEventListener('pointerup', up);
    canvas.addEventListener('pointercancel', cancel);
    canvas.addEventListener('pointerleave', leave);
    canvas.addEventListener('wheel', wheel, { passive: false });
    return () => {
      canvas.removeEventListener('pointerdown', down);
      canvas.removeEventListener('pointermove', move);
      canvas.removeEventListener('pointerup', up);
      canvas.removeEventListener('pointercancel', cancel);
      canvas.removeEventListener('pointerleave', leave);
      canvas.removeEventListener('wheel', wheel);
    };
  }, [requestDraw]);

  return (
    <div ref={wrapRef} data-testid="timescope-scene" style={{ position: 'relative', width, height }}>
      <canvas ref={canvasRef} aria-label="Service graph" role="img" style={{ display: 'block', cursor: 'grab' }} />
    </div>
  );
}
