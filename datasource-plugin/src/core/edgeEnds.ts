// Grafana's Node Graph fails on an edge whose source or target is not a row of the nodes frame, so the edges frame
// never carries one: whatever the topology decided, the frames handed to Grafana are checked here, last.
import type { DataFrame, Field } from '@grafana/data';
import { NodeGraphField } from '@timescope/common';

const byName = (f: DataFrame, name: string): Field | undefined => f.fields.find((x) => x.name === name);

export interface EdgeEndsResult {
  edges: DataFrame;
  /** ids of the edges dropped because an end is not in the nodes frame */
  dropped: string[];
}

/** The edges frame without the rows whose source or target is not an id of the nodes frame. */
export function withKnownEnds(nodes: DataFrame, edges: DataFrame): EdgeEndsResult {
  const ids = new Set((byName(nodes, NodeGraphField.id)?.values ?? []).map(String));
  const source = byName(edges, NodeGraphField.source)?.values ?? [];
  const target = byName(edges, NodeGraphField.target)?.values ?? [];
  const edgeIds = byName(edges, NodeGraphField.id)?.values ?? [];
  const keep: number[] = [];
  const dropped: string[] = [];
  for (let i = 0; i < edges.length; i++) {
    if (ids.has(String(source[i])) && ids.has(String(target[i]))) keep.push(i);
    else dropped.push(String(edgeIds[i] ?? `${String(source[i])}->${String(target[i])}`));
  }
  if (dropped.length === 0) return { edges, dropped };
  const fields = edges.fields.map((f) => ({ ...f, values: keep.map((i) => f.values[i]) }));
  return { edges: { ...edges, fields, length: keep.length }, dropped };
}
