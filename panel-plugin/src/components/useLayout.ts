// Computes the layout of the whole range's graph once per graph and layout options (in a worker when large).
// A big layout is started while the panel renders, not in an effect after it: the worker then lays out while the
// main thread builds what the drawing needs besides positions (presence, label priority, edge order, strip).
import { useEffect, useMemo, useState } from 'react';
import type { LayoutAlgorithm, LayoutResult } from '@timescope/common';
import { layoutInput, type Grouping } from '../layout/groups';
import { layoutInline, prepareWorker, runLayout, WORKER_THRESHOLD } from '../layout/worker';
import type { Graph } from '../model/graph';

export interface LayoutState {
  result?: LayoutResult;
  error?: string;
  pending: boolean;
}

const started = new WeakMap<Graph, Map<string, Promise<LayoutState>>>();

/** The layout of `graph` with these options: started once per graph identity and options, then shared. */
function layoutOnce(graph: Graph, algorithm: LayoutAlgorithm, grouping: Grouping): Promise<LayoutState> {
  let byOptions = started.get(graph);
  if (!byOptions) started.set(graph, (byOptions = new Map()));
  const key = `${algorithm}|${grouping}`;
  let p = byOptions.get(key);
  if (!p) {
    p = runLayout(layoutInput(graph, algorithm, grouping)).then(
      (result): LayoutState => ({ result, pending: false }),
      (e: Error): LayoutState => ({ error: e.message, pending: false }),
    );
    byOptions.set(key, p);
  }
  return p;
}

export function useLayout(graph: Graph | undefined, algorithm: LayoutAlgorithm, grouping: Grouping): LayoutState {
  const large = !!graph && graph.nodes.length >= WORKER_THRESHOLD;
  // Small graphs: synchronously, so the first render already draws.
  const sync = useMemo((): LayoutState | undefined => {
    if (!graph || large) return undefined;
    try {
      return { result: layoutInline(layoutInput(graph, algorithm, grouping)), pending: false };
    } catch (e) {
      return { error: (e as Error).message, pending: false };
    }
  }, [graph, large, algorithm, grouping]);
  // (idempotent: the same promise for the same graph and options, so starting it during render is safe)
  const promise = useMemo(
    () => (graph && large ? layoutOnce(graph, algorithm, grouping) : undefined),
    [graph, large, algorithm, grouping],
  );
  useEffect(prepareWorker, []);
  const [async, setAsync] = useState<{ for?: unknown; state: LayoutState }>({ state: { pending: false } });
  useEffect(() => {
    if (!promise) return;
    let cancelled = false;
    void promise.then((state) => !cancelled && setAsync({ for: promise, state }));
    return () => {
      cancelled = true;
    };
  }, [promise]);
  if (sync) return sync;
  if (!graph) return { pending: false };
  return async.for === promise ? async.state : { pending: true };
}
