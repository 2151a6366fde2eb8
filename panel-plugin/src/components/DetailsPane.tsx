// The details of the clicked node: metadata, parents, connections, first/last seen, its deploys, data links.
// Every value is a React text node: labels from outside are shown as typed, never as HTML.
import React from 'react';
import { useTheme2 } from '@grafana/ui';
import type { DeployMarker } from '../model/deploys';
import type { Graph, GraphNode } from '../model/graph';
import { exploreUrl, nodeQueries } from '../model/links';

interface Props {
  graph: Graph;
  node: GraphNode;
  present: Uint8Array;
  presentEdges: Uint8Array;
  deploys: DeployMarker[];
  from: number;
  to: number;
  exploreDatasource: string;
  formatTime: (t: number) => string;
  onSelect: (id: string) => void;
  onClose: () => void;
}

export const DETAILS_WIDTH = 320;

function seen(graph: Graph, node: GraphNode): { first?: number; last?: number } {
  const list = graph.timeline?.nodes.get(node.id);
  if (list && list.length) return { first: list[0].start, last: list[list.length - 1].end };
  return { first: node.firstSeen, last: node.lastSeen };
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section style={{ marginBottom: 10 }}>
      <h4 style={{ fontSize: 12, margin: '6px 0 2px', opacity: 0.7, textTransform: 'uppercase' }}>{title}</h4>
      {children}
    </section>
  );
}

export function DetailsPane(props: Props) {
  const { graph, node, present, presentEdges, deploys, formatTime } = props;
  const parents: GraphNode[] = [];
  for (let p = node.parent, guard = 0; p && guard < 10; guard++) {
    const i = graph.index.get(p);
    if (i === undefined) break;
    parents.push(graph.nodes[i]);
    p = graph.nodes[i].parent;
  }
  const inbound = graph.edges.map((e, i) => ({ e, i })).filter(({ e }) => e.target === node.id);
  const outbound = graph.edges.map((e, i) => ({ e, i })).filter(({ e }) => e.source === node.id);
  const { first, last } = seen(graph, node);
  const linkStyle = { color: useTheme2().colors.text.link };
  // Our datasource repeats the kind as a detail field: show each key once (case aside) and drop empty values.
  const metadata: Array<[string, string]> = [];
  const keys = new Set<string>();
  for (const [k, v] of [
    ['kind', node.kind],
    ['subtitle', node.subtitle],
    ['status', node.status],
    ['main stat', node.mainStat === undefined ? '' : String(node.mainStat)],
    ...Object.entries(node.details),
  ]) {
    if (!v || keys.has(k.toLowerCase())) continue;
    keys.add(k.toLowerCase());
    metadata.push([k, v]);
  }
  const idx = graph.index.get(node.id) ?? -1;
  const link = (id: string) => (
    <button
      type="button"
      onClick={() => props.onSelect(id)}
      style={{ background: 'none', border: 'none', padding: 0, color: 'inherit', textDecoration: 'underline' }}
    >
      {graph.nodes[graph.index.get(id) ?? -1]?.title ?? id}
    </button>
  );
  const conn = (list: Array<{ e: Graph['edges'][number]; i: number }>, end: 'source' | 'target') =>
    list.length === 0 ? (
      <div style={{ opacity: 0.6 }}>none</div>
    ) : (
      <ul style={{ margin: 0, paddingLeft: 16 }}>
        {list.slice(0, 50).map(({ e, i }) => (
          <li key={e.id} style={{ opacity: presentEdges[i] ? 1 : 0.5 }}>
            {link(e[end])}
            {e.mainStat !== undefined ? ` (${String(e.mainStat)})` : ''}
            {presentEdges[i] ? '' : ' (not at this instant)'}
          </li>
        ))}
        {list.length > 50 && <li>{`and ${list.length - 50} more`}</li>}
      </ul>
    );
  return (
    <aside
      data-testid="timescope-details"
      aria-label="Node details"
      style={{ width: DETAILS_WIDTH, overflow: 'auto', padding: 8, fontSize: 12, borderLeft: '1px solid #8884' }}
    >
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'start' }}>
        <h3 data-testid="timescope-details-title" style={{ fontSize: 14, margin: 0, wordBreak: 'break-all' }}>
          {node.title}
        </h3>
        <button type="button" aria-label="Close details" onClick={props.onClose}>
          ×
        </button>
      </div>
      <div style={{ opacity: 0.7, wordBreak: 'break-all' }}>{node.id}</div>
      <div>{idx >= 0 && present[idx] ? 'present at this instant' : 'not present at this instant'}</div>
      <Section title="Metadata">
        <table>
          <tbody>
            {metadata.map(([k, v]) => (
              <tr key={k}>
                <td style={{ opacity: 0.7, paddingRight: 8, verticalAlign: 'top' }}>{k}</td>
                <td style={{ wordBreak: 'break-all' }}>{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      {parents.length > 0 && (
        <Section title="Parents">
          {parents.map((p) => (
            <div key={p.id}>{link(p.id)}</div>
          ))}
        </Section>
      )}
      <Section title="Seen">
        <div>{`first ${first !== undefined ? formatTime(first) : 'unknown'}`}</div>
        <div>{`last ${last !== undefined ? formatTime(last) : 'unknown'}`}</div>
      </Section>
      <Section title={`Inbound (${inbound.length})`}>{conn(inbound, 'source')}</Section>
      <Section title={`Outbound (${outbound.length})`}>{conn(outbound, 'target')}</Section>
      {deploys.length > 0 && (
        <Section title="Deploys in range">
          <ul style={{ margin: 0, paddingLeft: 16 }}>
            {deploys.map((d, i) => (
              <li key={i}>
                {`${formatTime(d.time)} ${d.revision ? d.revision.slice(0, 12) : d.title} `}
                {d.url && (
                  <a href={d.url} target="_blank" rel="noopener noreferrer" style={linkStyle}>
                    commit
                  </a>
                )}
              </li>
            ))}
          </ul>
        </Section>
      )}
      <Section title="Explore">
        {nodeQueries(node).map((q) => (
          <div key={q.title}>
            <a href={exploreUrl(q, props.exploreDatasource, props.from, props.to)} title={q.expr} style={linkStyle}>
              {`${q.title} in Explore`}
            </a>
          </div>
        ))}
      </Section>
    </aside>
  );
}
