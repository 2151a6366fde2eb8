// Past the panel's node limit nothing is drawn; the message says which of the datasource's filters (namespace,
// host, name) would bring the graph under it, from the graph that was refused.
import type { Graph } from '../model/graph';
import { groupSizes } from './groups';

/** The largest graph the panel draws by default (20,000 nodes draw within twice the 10,000-node figures). */
export const MAX_NODES = 50_000;

/** The sentence naming a filter that would bring `graph` under `limit` nodes. */
export function filterHint(graph: Graph, limit: number): string {
  for (const by of ['namespace', 'host'] as const) {
    const { sizes, without } = groupSizes(graph, by);
    if (sizes.size < 2) continue;
    let name = '';
    let largest = 0;
    for (const [k, c] of sizes) if (c > largest) [name, largest] = [k, c];
    // nodes without a value (hosts, externals) may stay in the filtered graph: count them in
    if (largest + without > limit) continue;
    return `Filter the query by ${by}: each ${by} has at most ${largest + without} nodes (the largest: ${by} = ${name}).`;
  }
  return 'Filter the query by name (a regular expression on the display name) or by namespace, or narrow the view.';
}
