/** @jest-environment jsdom */
import '../testutil/jsdomGaps';
import { act, fireEvent, render, screen } from '@testing-library/react';
import React, { useState } from 'react';
import type { TopologyDataSource } from '../datasource';
import type { TopologyQuery } from '../types';
import { QueryEditor } from './QueryEditor';

/** The editor as Grafana holds it: each change becomes the next render's query, and is recorded. */
function Harness({ seen, start }: { seen: TopologyQuery[]; start?: TopologyQuery }): React.ReactElement {
  const [query, setQuery] = useState<TopologyQuery>(start ?? { refId: 'A' });
  const onChange = (q: TopologyQuery): void => {
    seen.push(q);
    setQuery(q);
  };
  return (
    <QueryEditor query={query} onChange={onChange} onRunQuery={() => undefined} datasource={{} as TopologyDataSource} />
  );
}

/** Lets Grafana's icons finish loading (they fail to, in jsdom) inside act, so React has nothing to warn about. */
async function settle(): Promise<void> {
  await act(async () => undefined);
}

describe('QueryEditor', () => {
  it('gives each selected edge source its own metric', async () => {
    const seen: TopologyQuery[] = [];
    render(<Harness seen={seen} />);
    const sources = screen.getByLabelText('Edges from');
    fireEvent.keyDown(sources, { key: 'ArrowDown' });
    fireEvent.click(screen.getByText('Tempo / OTel servicegraph'));
    expect(seen.at(-1)).toMatchObject({ edgeSource: 'timescope', edgeSources: ['timescope', 'tempo'] });

    const otel = screen.getByLabelText('Tempo / OTel servicegraph metric');
    expect(otel).toHaveProperty('placeholder', 'traces_service_graph_request_total');
    expect(screen.getByLabelText('Timescope exporter metric')).toHaveProperty(
      'placeholder',
      'timescope_edge_connections',
    );
    fireEvent.change(otel, { target: { value: 'servicegraph_traces_service_graph_request_total' } });
    expect(seen.at(-1)).toMatchObject({
      edgeSources: ['timescope', 'tempo'],
      edgeMetrics: { tempo: 'servicegraph_traces_service_graph_request_total' },
    });
    expect(seen.at(-1)?.edgeMetrics).not.toHaveProperty('timescope');
    await settle();
  });

  it('drops a metric when it is cleared and when its source is deselected', async () => {
    const seen: TopologyQuery[] = [];
    const start: TopologyQuery = {
      refId: 'A',
      edgeSource: 'timescope',
      edgeSources: ['timescope', 'tempo'],
      edgeMetrics: { timescope: 'recorded_edges', tempo: 'servicegraph_traces_service_graph_request_total' },
    };
    render(<Harness seen={seen} start={start} />);
    fireEvent.change(screen.getByLabelText('Timescope exporter metric'), { target: { value: '' } });
    expect(seen.at(-1)?.edgeMetrics).toEqual({ tempo: 'servicegraph_traces_service_graph_request_total' });

    // The remove button of the second selected source, Tempo.
    fireEvent.click(screen.getAllByLabelText('Remove')[1]);
    expect(seen.at(-1)).toMatchObject({ edgeSource: 'timescope', edgeSources: undefined, edgeMetrics: undefined });
    expect(screen.queryByLabelText('Tempo / OTel servicegraph metric')).toBeNull();
    await settle();
  });
});
