// What the panel shows instead of the graph: a datasource or layout error, loading, no data, too large to draw,
// or "laying out"; over the graph, an instant at which nothing was present (emptyInstantMessage). The decision is a plain function (panelMessage) so that each case can be tested without Grafana.
import type { DataFrame } from '@grafana/data';
import React from 'react';

export type MessageKind = 'error' | 'loading' | 'nodata' | 'toolarge' | 'layout' | 'empty';

export interface Message {
  kind: MessageKind;
  text: string;
  /** secondary lines under the text (the datasource's notices) */
  notes?: string[];
}

export interface MessageInput {
  /** the query failed (LoadingState.Error) */
  failed: boolean;
  /** the query is running (LoadingState.Loading) */
  loading: boolean;
  errors: Array<{ message?: string }>;
  notices: string[];
  nodes: number;
  edges: number;
  maxNodes: number;
  /** past the limit: the filter that would bring the graph under it */
  hint?: string;
  layoutError?: string;
  /** the scene is ready to draw */
  drawn: boolean;
}

/** The message to show, first match wins; undefined when the graph can be drawn. */
export function panelMessage(m: MessageInput): Message | undefined {
  if (m.failed || m.errors.length > 0) {
    const text = m.errors.map((e) => e.message ?? String(e)).join('; ') || 'unknown';
    return { kind: 'error', text: `Datasource error: ${text}` };
  }
  if (m.nodes === 0 && m.loading) return { kind: 'loading', text: 'Querying the topology…' };
  if (m.nodes === 0) {
    return { kind: 'nodata', text: 'No data: the query returned no nodes for this time range.', notes: m.notices };
  }
  if (m.nodes > m.maxNodes) {
    return {
      kind: 'toolarge',
      text: `Too large to draw: ${m.nodes} nodes and ${m.edges} edges (the limit is ${m.maxNodes} nodes). ${m.hint ?? 'Narrow the view or the time range.'} Or raise the limit in the panel options.`,
    };
  }
  if (m.layoutError) return { kind: 'error', text: `Layout failed: ${m.layoutError}` };
  if (!m.drawn) return { kind: 'layout', text: `Laying out ${m.nodes} nodes…` };
  return undefined;
}

/**
 * The message over the graph when nothing is drawn at the instant though the range has nodes (the graph stays
 * mounted under it, so moving the instant brings the picture back where it was); undefined when something is drawn.
 */
export function emptyInstantMessage(drawnNodes: number, instantText: string): Message | undefined {
  if (drawnNodes > 0) return undefined;
  return {
    kind: 'empty',
    text: `Nothing was present at ${instantText}.`,
    notes: ['Move the instant along the timeline, or press End for the end of the range.'],
  };
}

/** The datasource's notices on the frames (e.g. "No pod nodes found in this time range"), once each. */
export function noticesOf(series: DataFrame[]): string[] {
  const out = new Set<string>();
  for (const f of series) for (const n of f.meta?.notices ?? []) if (n.text) out.add(n.text);
  return [...out];
}

export interface MessageColors {
  /** the error text (theme.colors.error.text) */
  error: string;
  /** the notes (theme.colors.text.secondary) */
  secondary: string;
}

export function PanelMessage({ message, colors }: { message: Message; colors: MessageColors }) {
  const { kind, text, notes } = message;
  return (
    <div
      data-testid="timescope-message"
      data-state={kind}
      role={kind === 'error' ? 'alert' : 'status'}
      style={{ display: 'flex', alignItems: 'center', justifyContent: 'center', flex: 1, height: '100%', padding: 16 }}
    >
      <div style={{ maxWidth: 560, textAlign: 'center' }}>
        <div style={{ color: kind === 'error' ? colors.error : undefined, fontSize: 14 }}>{text}</div>
        {notes?.map((n, i) => (
          <div key={i} style={{ color: colors.secondary, marginTop: 6 }}>
            {n}
          </div>
        ))}
      </div>
    </div>
  );
}
