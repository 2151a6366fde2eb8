// Runs big layouts off the main thread: the engine's own source text becomes a Worker through a Blob URL, so
// module.js stays a single file (Grafana loads plugins as one AMD module). Small layouts run inline, and so does
// everything where Worker or Blob URLs are missing (jsdom, strict CSP).
import { createLayoutEngine, type LayoutInput, type LayoutResult } from '@timescope/common';

/** Below this many nodes a layout is quicker inline than the worker round trip. */
export const WORKER_THRESHOLD = 1500;

let inline: ReturnType<typeof createLayoutEngine> | undefined;
let worker: Worker | undefined;
let workerFailed = false;
let nextId = 1;
const pending = new Map<number, { resolve: (r: LayoutResult) => void; reject: (e: Error) => void }>();

function workerSource(): string {
  return [
    `const engine = (${createLayoutEngine.toString()})();`,
    'self.onmessage = (e) => {',
    '  try {',
    '    const r = engine.layout(e.data.input);',
    '    self.postMessage({ id: e.data.id, result: r }, [r.x.buffer, r.y.buffer]);',
    '  } catch (err) {',
    '    self.postMessage({ id: e.data.id, error: String(err && err.message || err) });',
    '  }',
    '};',
  ].join('\n');
}

function getWorker(): Worker | undefined {
  if (worker || workerFailed) return worker;
  try {
    if (typeof Worker === 'undefined' || typeof Blob === 'undefined' || !URL.createObjectURL) throw new Error('none');
    const url = URL.createObjectURL(new Blob([workerSource()], { type: 'text/javascript' }));
    worker = new Worker(url);
    worker.onmessage = (e: MessageEvent<{ id: number; result?: LayoutResult; error?: string }>) => {
      const p = pending.get(e.data.id);
      pending.delete(e.data.id);
      if (!p) return;
      if (e.data.result) p.resolve(e.data.result);
      else p.reject(new Error(e.data.error ?? 'layout failed'));
    };
    worker.onerror = () => {
      workerFailed = true;
      for (const p of pending.values()) p.reject(new Error('layout worker failed'));
      pending.clear();
      worker = undefined;
    };
  } catch {
    workerFailed = true;
    worker = undefined;
  }
  return worker;
}

/**
 * Starts the worker ahead of the first big layout (the panel calls it when it mounts, before its query returns): a
 * worker's thread start and the compilation of the engine then happen while the frames are still on their way.
 */
export function prepareWorker(): void {
  getWorker();
}

export function layoutInline(input: LayoutInput): LayoutResult {
  inline ??= createLayoutEngine();
  return inline.layout(input);
}

/** Lays out `input`, in the worker when it is big and a worker can run, else inline. */
export function runLayout(input: LayoutInput): Promise<LayoutResult> {
  const w = input.n >= WORKER_THRESHOLD ? getWorker() : undefined;
  if (!w) {
    try {
      return Promise.resolve(layoutInline(input));
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }
  const id = nextId++;
  return new Promise<LayoutResult>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.postMessage({ id, input });
  }).catch(() => layoutInline(input));
}
