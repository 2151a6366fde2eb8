import { fireEvent, render, screen } from '@testing-library/react';
import React from 'react';
import type { DeployMarker } from '../model/deploys';
import { clusterMarkers } from '../model/markerClusters';
import { TimelineStrip } from './TimelineStrip';
import type { Playback } from './usePlayback';

const colors = { background: '#000', border: '#444', text: '#fff', secondary: '#aaa' };
const marker = (time: number, title: string): DeployMarker => ({
  time,
  title,
  text: '',
  workload: `shop/${title}`,
  revision: '',
});
const playback: Playback = { playing: false, speed: 30, setSpeed: () => {}, toggle: () => {}, stop: () => {} };

describe('TimelineStrip', () => {
  it('shows a cluster as one marker with its count, whose list opens each deploy', () => {
    const markers = [marker(100, 'a'), marker(200, 'b'), marker(300, '<b>c</b>'), marker(50_000, 'd')];
    const onMarker = jest.fn();
    render(
      <TimelineStrip
        width={1092}
        from={0}
        to={100_000}
        instant={100_000}
        baseline={null}
        curve={[1, 2, 3]}
        clusters={clusterMarkers(markers, 0, 100_000, 1000)}
        ticks={[{ time: 50_000, label: '12:00' }]}
        playback={playback}
        formatTime={(t) => `t${t}`}
        onScrub={() => {}}
        onMarker={onMarker}
        colors={colors}
      />,
    );
    expect(screen.getAllByTestId('timescope-deploy-marker')).toHaveLength(1);
    const cluster = screen.getByTestId('timescope-deploy-cluster');
    expect(cluster.textContent).toBe('3');
    expect(cluster.getAttribute('aria-label')).toBe('3 deploys from t100 to t300');
    fireEvent.click(cluster);
    const entries = screen.getAllByTestId('timescope-deploy-entry');
    expect(entries.map((e) => e.textContent)).toEqual(['t100  shop/a', 't200  shop/b', 't300  shop/<b>c</b>']);
    expect(document.querySelector('[data-testid="timescope-deploy-list"] b')).toBeNull();
    fireEvent.click(entries[1]);
    expect(onMarker).toHaveBeenCalledWith(markers[1]);
    expect(screen.queryByTestId('timescope-deploy-list')).toBeNull();
    expect(screen.getByText('12:00').tagName).toBe('text');
  });
});
