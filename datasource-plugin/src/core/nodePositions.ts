// fixedX / fixedY on the nodes frame: Grafana's Node Graph lays a graph out afresh on every refresh, so a node jumps
// as time moves; given positions for every node it draws them there instead. Positions come from the layout engine
// our panel uses, run over every node and edge seen in the range, so they do not depend on the instant shown.
import type { DataFrame, FieldType } from '@grafana/data';
import { NodeGraphField, stableLayout, type LayoutAlgorithm } from '@timescope/common';
import type { Topology } from './topology';

const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);

/** The nodes frame with fixedX / fixedY for each of its rows (nodes seen in the range, laid out once). */
export function withPositions(nodes: DataFrame, t: Topology, algorithm: LayoutAlgorithm): DataFrame {
  const ids = nodes.fields.find((f) => f.name === NodeGraphField.id)?.values as string[] | undefined;
  if (!ids) return nodes;
  const all = [...t.nodes].sort(byId).map((n) => n.id);
  const edges = [...t.edges].sort(byId);
  const places = stableLayout(all, edges, algorithm);
  const coordinate = (name: string, pick: (p: { x: number; y: number }) => number) => ({
    name,
    type: 'number' as FieldType.number,
    values: ids.map((id) => {
      const p = places.get(id);
      return p ? pick(p) : 0;
    }),
    config: {},
  });
  return {
    ...nodes,
    fields: [
      ...nodes.fields,
      coordinate(NodeGraphField.fixedX, (p) => p.x),
      coordinate(NodeGraphField.fixedY, (p) => p.y),
    ],
  };
}
