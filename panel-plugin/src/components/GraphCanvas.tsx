// The canvas: draws the scene, pans (drag) and zooms (wheel, bounded), reports hover (node or edge, with the
// pointer's position for the tooltip) and click by hit-testing; fit-to-view and reset through `nav`.
// Pointer handling is native (not React) so panning redraws on animation frames without re-rendering React.
import React, { useCallback, useEffect, useLayoutEffect, useRef } from 'react';
import { CanvasRenderer, type DrawnState } from '../render/renderer';
import type { RenderScene, View } from '../render/scene';
import type { LabelMode } from '../options';
import { drawnNodes, edgeAt, fitScene, zoomAt, zoomBounds } from './navigation';

/** What is under the pointer: a node or an edge index (-1 for none), at (x, y) in the canvas. */
export interface HoverTarget {
  node: number;
  edge: number;
  x: number;
  y: number;
}

/** The navigation buttons' handle on the canvas. */
export interface CanvasNav {
  /** fits the nodes drawn at the instant */
  fit(): void;
  /** back to the first view: the whole layout fitted */
  reset(): void;
}

interface Props {
  scene: RenderScene;
  width: number;
  height: number;
  labels: LabelMode;
  /** changes when the layout changes: the view is fitted again */
  fitKey: unknown;
  onHover: (index: number) => void;
  onSelect: (index: number) => void;
  /** the node or edge under the pointer changed (for the tooltip) */
  onPointAt?: (target: HoverTarget) => void;
  /** filled with the fit and reset actions */
  nav?: React.MutableRefObject<CanvasNav | null>;
  /** the description written to data-scene when it changes (for tests; computed lazily, after the drawing) */
  snapshot: () => object;
}

/** What the canvas itself decided at the last drawing (data-scene's `drawn`): labels, edge labels, groups. */
export interface DrawnDescription {
  scale: number;
  /** ids of the nodes whose label is drawn */
  labels: string[];
  /** ids of the edges whose label is drawn */
  edgeLabels: string[];
  /** every group box with a node at the instant: closed (drawn as one aggregate node with its count) or open */
  groups: Array<{
    name: string;
    count: number;
    added: number;
    removed: number;
    open: boolean;
    x: number;
    y: number;
    r: number;
  }>;
}

function describeDrawn(d: DrawnState, scene: RenderScene): DrawnDescription {
  return {
    scale: d.scale,
    labels: d.labels.map((i) => scene.nodeIds[i]),
    edgeLabels: d.edgeLabels.map((i) => scene.edgeIds[i]),
    groups: d.aggregates.map((a) => ({
      name: a.name,
      count: a.count,
      added: a.added,
      removed: a.removed,
      open: a.open,
      x: a.cx,
      y: a.cy,
      r: a.r,
    })),
  };
}

/** The attribute of the page's root element that asks the panel to describe its scene in data-scene. */
export const EXPOSE_SCENE = 'data-timescope-scene';

function exposeView(wrap: HTMLElement, view: View): void {
  wrap.setAttribute('data-view', JSON.stringify(view));
}

export function GraphCanvas(props: Props) {
  const { scene, width, height, labels, fitKey, onHover, onSelect, onPointAt, snapshot, nav } = props;
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const rendererRef = useRef<CanvasRenderer | null>(null);
  const frame = useRef(0);
  const callbacks = useRef({ onHover, onSelect, onPointAt });
  callbacks.current = { onHover, onSelect, onPointAt };
  // the whole layout's fitted view: the reset target and the reference for the zoom bounds
  const fitted = useRef<View>({ scale: 1, tx: 0, ty: 0 });
  // What the fit reads when the layout changes: the fit is not redone when only the styles or the size change.
  const fitInput = useRef({ scene, width, height });
  fitInput.current = { scene, width, height };

  // Stable (they read refs only), so the effects below that draw do not re-run for a new closure.
  // The scene description for tests: the panel's part (recomputed only when `snapshot` changes) with what the
  // canvas drew, written a moment after the drawing so it never delays it. Only pages that ask for it
  // (<html data-timescope-scene>, as the e2e plugin host does) pay for it: at 10,000 nodes it is tens of ms.
  const described = useRef<{ for?: () => object; value?: object }>({});
  const expose = useRef(0);
  const snapshotRef = useRef(snapshot);
  snapshotRef.current = snapshot;
  const writeScene = useCallback(() => {
    const wrap = wrapRef.current;
    const r = rendererRef.current;
    if (!wrap || !r || !document.documentElement.hasAttribute(EXPOSE_SCENE)) return;
    // throttled, not debounced: while the instant plays the description still follows it
    if (expose.current) return;
    expose.current = window.setTimeout(() => {
      expose.current = 0;
      const c = described.current;
      if (c.for !== snapshotRef.current) {
        c.for = snapshotRef.current;
        c.value = snapshotRef.current();
      }
      const drawn = describeDrawn(r.drawnState(), fitInput.current.scene);
      wrap.setAttribute('data-scene', JSON.stringify({ ...c.value, drawn }));
    }, 30);
  }, []);
  const drawNow = useCallback(() => {
    const r = rendererRef.current;
    const wrap = wrapRef.current;
    if (!r || !wrap) return;
    r.draw();
    wrap.setAttribute('data-draws', String(r.draws));
    wrap.setAttribute('data-draw-ms', r.lastDrawMs.toFixed(2));
    wrap.setAttribute('data-drawn-at', String(performance.now()));
    exposeView(wrap, r.getView());
    if (!r.isPanning()) writeScene();
  }, [writeScene]);
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
    fitted.current = fitScene(s, w, h);
    if (r) r.setView(fitted.current);
  }, [fitKey]);

  useEffect(() => {
    if (!nav) return;
    const apply = (v: View) => {
      rendererRef.current?.setView(v);
      requestDraw();
    };
    nav.current = {
      fit: () => {
        const { scene: s, width: w, height: h } = fitInput.current;
        const only = drawnNodes(s);
        if (only.some((x) => x === 1)) apply(fitScene(s, w, h, only));
      },
      reset: () => {
        const { scene: s, width: w, height: h } = fitInput.current;
        fitted.current = fitScene(s, w, h);
        apply(fitted.current);
      },
    };
    return () => {
      nav.current = null;
    };
  }, [nav, requestDraw]);

  useLayoutEffect(() => {
    const r = rendererRef.current;
    if (!r) return;
    r.setLabels(labels);
    r.setScene(scene);
    drawNow();
  }, [scene, labels, width, height, drawNow]);

  // `snapshot` changes whenever what it describes does (the mode or the selection can change without a drawing).
  useEffect(() => {
    writeScene();
  }, [snapshot, writeScene]);
  useEffect(() => () => clearTimeout(expose.current), []);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    let drag: { x: number; y: number; tx: number; ty: number; moved: boolean } | null = null;
    let hovered = -1;
    let pointed = { node: -1, edge: -1 };
    const point = (node: number, edge: number, x: number, y: number) => {
      if (node === pointed.node && edge === pointed.edge) return;
      pointed = { node, edge };
      callbacks.current.onPointAt?.({ node, edge, x, y });
    };
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
          point(-1, -1, 0, 0);
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
      point(hit, hit >= 0 ? -1 : edgeAt(fitInput.current.scene, r.getView(), p.x, p.y), p.x, p.y);
    };
    const up = (e: PointerEvent) => {
      const r = rendererRef.current;
      if (!r || !drag) return;
      const wasClick = !drag.moved;
      drag = null;
      if (wasClick) {
        const p = local(e);
        // a click on a closed group's aggregate opens it (semantic zoom), whatever the zoom
        const group = r.hitGroup(p.x, p.y);
        if (group >= 0) {
          r.openGroup(group);
          requestDraw();
          return;
        }
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
      point(-1, -1, 0, 0);
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
      r.setView(zoomAt(v, Math.exp(-e.deltaY * 0.0015), p.x, p.y, zoomBounds(fitted.current)));
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
