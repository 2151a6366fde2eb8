// The diff between two instants: what was added, removed and kept, by node and edge index.
import type { Presence } from './presence';

/** 0 absent in both, 1 added, 2 removed, 3 unchanged */
export const DiffState = { none: 0, added: 1, removed: 2, unchanged: 3 } as const;

export interface Diff {
  nodes: Uint8Array;
  edges: Uint8Array;
  counts: { addedNodes: number; removedNodes: number; addedEdges: number; removedEdges: number };
}

function compare(before: Uint8Array, after: Uint8Array): [Uint8Array, number, number] {
  const out = new Uint8Array(after.length);
  let added = 0;
  let removed = 0;
  for (let i = 0; i < after.length; i++) {
    if (after[i] && before[i]) out[i] = DiffState.unchanged;
    else if (after[i]) {
      out[i] = DiffState.added;
      added++;
    } else if (before[i]) {
      out[i] = DiffState.removed;
      removed++;
    }
  }
  return [out, added, removed];
}

export function diffPresence(before: Presence, after: Presence): Diff {
  const [nodes, addedNodes, removedNodes] = compare(before.nodes, after.nodes);
  const [edges, addedEdges, removedEdges] = compare(before.edges, after.edges);
  return { nodes, edges, counts: { addedNodes, removedNodes, addedEdges, removedEdges } };
}
