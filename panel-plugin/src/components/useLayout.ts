// Computes the layout of the whole range's graph once per graph and layout options (in a worker when large).
import { useEffect, useMemo, useState } from 'react';
import type { LayoutAlgorithm, LayoutResult } from '@timescope/common';
import { layoutInput, type Grouping } from '../layout/groups';
import { layoutInline, runLayout, WORKER_THRESHOLD } from '../layout/worker';
import type { Graph } from '../model/graph';

export interface LayoutState {
  result?: LayoutResult;
  error?: string;
  pending: boolean;
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
  const [async, setAsync] = useState<{ for?: unknown; state: LayoutState }>({ state: { pending: false } });
  const token = useMemo(() => ({ graph, algorithm, grouping }), [graph, algorithm, grouping]);
  useEffect(() => {
    if (!graph || !large) return;
    let cancelled = false;
    runLayout(layoutInput(graph, algorithm, grouping)).then(
      (result) => !cancelled && setAsync({ for: token, state: { result, pending: false } }),
      (e: Error) => !cancelled && setAsync({ for: token, state: { error: e.message, pending: false } }),
    );
    return () => {
      cancelled = true;
    };
  }, [graph, large, algorithm, grouping, token]);
  if (sync) return sync;
  if (!graph) return { pending: false };
  return async.for === token ? async.state : { pending: true };
}
