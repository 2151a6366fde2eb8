// Helpers for tests driving the plugin host page: open it, hand it frames, read the panel's drawn scene.
import type { Page } from 'playwright-core';
import type { HostInput } from '../host/src/api';

export interface SceneNode {
  id: string;
  title: string;
  kind: string;
  x: number;
  y: number;
  status: string;
  dimmed?: boolean;
  /** drawn faint because another node is hovered or selected and this one is not its neighbour */
  faded?: boolean;
}

export interface SceneEdge {
  id: string;
  source: string;
  target: string;
  status: string;
}

export interface Scene {
  instant: number;
  instantText: string;
  timeZone: string;
  mode: string;
  from: number;
  to: number;
  stepMs: number;
  baseline: number | null;
  counts: { addedNodes: number; removedNodes: number; addedEdges: number; removedEdges: number } | null;
  selected: string | null;
  /** the hovered (else selected) node */
  focus: string | null;
  nodes: SceneNode[];
  edges: SceneEdge[];
  /** Live, showing another panel's crosshair instant */
  preview: boolean;
  playing: boolean;
  /** what the hover tooltip says */
  tooltip: { entity: 'node' | 'edge'; id: string; title: string; lines: string[] } | null;
  strip: {
    /** nodes present at each bucket's end */
    curve: number[];
    ticks: Array<{ time: number; label: string }>;
    /** one per marker drawn: how many deploys it stands for, and their times */
    markers: Array<{ count: number; times: number[] }>;
  };
  /** a deploy's diff: the deployed workload's nodes, them and their neighbours, the changes nearest first */
  deploy: {
    deployed: string[];
    near: string[];
    changes: Array<{ entity: string; id: string; status: string; distance: number }>;
  } | null;
  /** the empty-instant message, when shown */
  empty: string | null;
}

/** What a test hands the panel instead of a datasource query result. */
export type HostFrames = HostInput;

export interface HostPage {
  /** the panel plugin to render (ours when not given) */
  panel?: string;
  from: number;
  to: number;
  /** the dashboard's time zone: utc, browser or an IANA zone */
  tz?: string;
  /** frames: the test hands frames with setFrames; datasource: the built datasource queries the data proxy */
  source?: 'frames' | 'datasource';
  /** the panel's options */
  options?: object;
  /** the panel's field config (defaults and overrides) */
  fieldConfig?: object;
  /** the datasource query (the panel's target) */
  query?: object;
  /** the datasource instance's jsonData */
  jsonData?: object;
  /** dashboard variables (var-<name>) */
  vars?: Record<string, string>;
}

export function hostUrl(base: string, p: HostPage): string {
  const q = new URLSearchParams({
    from: String(p.from),
    to: String(p.to),
    tz: p.tz ?? 'utc',
    source: p.source ?? 'frames',
  });
  if (p.panel) q.set('panel', p.panel);
  if (p.options) q.set('options', JSON.stringify(p.options));
  if (p.fieldConfig) q.set('fieldConfig', JSON.stringify(p.fieldConfig));
  if (p.query) q.set('query', JSON.stringify(p.query));
  if (p.jsonData) q.set('jsonData', JSON.stringify(p.jsonData));
  for (const [k, v] of Object.entries(p.vars ?? {})) q.set(`var-${k}`, v);
  return `${base}/?${q}`;
}

/** Waits until the host has finished `count` panel queries (datasource runs or setFrames calls). */
export async function waitForQueries(page: Page, count: number, timeout = 60_000): Promise<void> {
  await page.waitForFunction((n) => window.timescopeHost.queries >= n, count, { timeout });
}

export async function openHost(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => window.timescopeHost && (window.timescopeHost.ready || window.timescopeHost.error));
  const error = await page.evaluate(() => window.timescopeHost.error);
  if (error) throw new Error(`plugin host: ${error}`);
}

export async function setFrames(page: Page, input: HostFrames): Promise<void> {
  // as one JSON string: playwright's argument serializer wraps every value, minutes for 50,000-node frames
  await page.evaluate((json) => window.timescopeHost.setFrames(JSON.parse(json) as HostFrames), JSON.stringify(input));
}

/** The scene the panel drew last; waits until it satisfies `until` (when given). */
export async function readScene(page: Page, until?: (s: Scene) => boolean, timeout = 30_000): Promise<Scene> {
  const deadline = Date.now() + timeout;
  let last: Scene | undefined;
  for (;;) {
    const raw = await page.getAttribute('[data-testid="timescope-scene"]', 'data-scene', { timeout }).catch(() => null);
    if (raw) {
      last = JSON.parse(raw) as Scene;
      if (!until || until(last)) return last;
    }
    if (Date.now() > deadline) {
      throw new Error(`scene did not reach the expected state; last: ${JSON.stringify(last)?.slice(0, 600)}`);
    }
    await page.waitForTimeout(50);
  }
}

/** Screen position (page coordinates) of a node in the scene. */
export async function nodeOnScreen(page: Page, node: SceneNode): Promise<{ x: number; y: number }> {
  const canvas = page.locator('[data-testid="timescope-scene"] canvas');
  const box = await canvas.boundingBox();
  const view = JSON.parse((await page.getAttribute('[data-testid="timescope-scene"]', 'data-view')) ?? '{}') as {
    scale: number;
    tx: number;
    ty: number;
  };
  if (!box) throw new Error('canvas not visible');
  return { x: box.x + node.x * view.scale + view.tx, y: box.y + node.y * view.scale + view.ty };
}

/** Polls `read` until its value equals `want` (JSON comparison) or the timeout passes; returns the last value. */
export async function eventually<T>(read: () => Promise<T>, want: T, timeout = 10_000): Promise<T> {
  const deadline = Date.now() + timeout;
  let last = await read();
  while (JSON.stringify(last) !== JSON.stringify(want) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    last = await read();
  }
  return last;
}
