import { render, screen } from '@testing-library/react';
import React from 'react';
import { Tooltip } from './Tooltip';

const colors = { background: '#000', border: '#444', text: '#fff', secondary: '#aaa' };

describe('Tooltip', () => {
  it('writes a hostile name as text', () => {
    const name = '<img src=x onerror=alert(1)>';
    render(
      <Tooltip
        text={{ entity: 'node', id: 'x', title: name, lines: ['pod'] }}
        x={10}
        y={10}
        width={400}
        height={300}
        colors={colors}
      />,
    );
    expect(screen.getByTestId('timescope-tooltip-title').textContent).toBe(name);
    expect(document.querySelector('img')).toBeNull();
  });
});
