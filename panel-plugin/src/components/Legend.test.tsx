import { render, screen } from '@testing-library/react';
import React from 'react';
import { Legend } from './Legend';

const colors = { background: '#000', border: '#444', text: '#fff', secondary: '#aaa' };

describe('Legend', () => {
  it('says what edge width means for each edge thickness option', () => {
    const props = { kinds: ['pod', 'service'], colorBy: 'kind' as const, diffOn: false, open: true, colors };
    const stat = { name: 'Connections', max: 12 };
    const { rerender } = render(<Legend {...props} edgeMetric="mainstat" edgeStat={stat} />);
    const body = () => screen.getByTestId('timescope-legend-body').textContent;
    expect(body()).toContain('width: connections (square root, thickest 12)');
    expect(body()).toContain('service');
    rerender(<Legend {...props} edgeMetric="none" edgeStat={stat} />);
    expect(body()).toContain('all edges have the same width');
    rerender(<Legend {...props} edgeMetric="thickness" edgeStat={stat} />);
    expect(body()).toContain("width: the data's thickness field");
  });
});
