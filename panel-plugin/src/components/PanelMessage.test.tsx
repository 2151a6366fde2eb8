import { render, screen } from '@testing-library/react';
import { emptyInstantMessage, noticesOf, PanelMessage, panelMessage, type MessageInput } from './PanelMessage';

const ok: MessageInput = {
  failed: false,
  loading: false,
  errors: [],
  notices: [],
  nodes: 3,
  edges: 2,
  maxNodes: 10,
  drawn: true,
};

describe('panelMessage', () => {
  it('is nothing when the graph can be drawn', () => {
    expect(panelMessage(ok)).toBeUndefined();
  });

  it('shows the datasource errors, joined, before anything else', () => {
    const m = panelMessage({ ...ok, nodes: 0, errors: [{ message: 'bad query' }, { message: 'timeout' }] });
    expect(m).toEqual({ kind: 'error', text: 'Datasource error: bad query; timeout' });
    expect(panelMessage({ ...ok, failed: true })?.text).toBe('Datasource error: unknown');
  });

  it('says it is querying while loading with no nodes yet, and keeps the old graph otherwise', () => {
    expect(panelMessage({ ...ok, nodes: 0, loading: true })?.kind).toBe('loading');
    expect(panelMessage({ ...ok, loading: true })).toBeUndefined();
  });

  it('says there is no data, with the datasource notices', () => {
    const m = panelMessage({ ...ok, nodes: 0, notices: ['No pod nodes found in this time range'] });
    expect(m?.kind).toBe('nodata');
    expect(m?.text).toContain('No data');
    expect(m?.notes).toEqual(['No pod nodes found in this time range']);
  });

  it('refuses to draw more nodes than the limit, with the counts', () => {
    const m = panelMessage({ ...ok, nodes: 11, edges: 40, drawn: false });
    expect(m?.kind).toBe('toolarge');
    expect(m?.text).toContain('11 nodes and 40 edges (the limit is 10 nodes)');
    expect(panelMessage({ ...ok, nodes: 10 })).toBeUndefined();
  });

  it('reports a failed layout, and says it is laying out until the scene is ready', () => {
    expect(panelMessage({ ...ok, layoutError: 'cycle', drawn: false })).toEqual({
      kind: 'error',
      text: 'Layout failed: cycle',
    });
    expect(panelMessage({ ...ok, drawn: false })).toEqual({ kind: 'layout', text: 'Laying out 3 nodes…' });
  });
});

describe('PanelMessage', () => {
  const colors = { error: 'rgb(255, 0, 0)', secondary: 'rgb(128, 128, 128)' };

  it('shows an error as an alert in the error colour', () => {
    render(<PanelMessage message={{ kind: 'error', text: 'Datasource error: boom' }} colors={colors} />);
    const alert = screen.getByRole('alert');
    expect(alert.getAttribute('data-state')).toBe('error');
    expect(screen.getByText('Datasource error: boom').style.color).toBe(colors.error);
  });

  it('shows other messages as a status with the notes under the text', () => {
    render(
      <PanelMessage
        message={{ kind: 'nodata', text: 'No data', notes: ['first note', 'second note'] }}
        colors={colors}
      />,
    );
    const status = screen.getByRole('status');
    expect(status.getAttribute('data-state')).toBe('nodata');
    expect(screen.getByText('No data').style.color).toBe('');
    expect(screen.getByText('second note').style.color).toBe(colors.secondary);
    expect(status.textContent).toBe('No datafirst notesecond note');
  });

  it('renders untrusted text as text', () => {
    render(
      <PanelMessage message={{ kind: 'error', text: 'Layout failed: <img src=x onerror=alert(1)>' }} colors={colors} />,
    );
    expect(screen.getByRole('alert').querySelector('img')).toBeNull();
    expect(screen.getByText('Layout failed: <img src=x onerror=alert(1)>')).toBeTruthy();
  });
});

describe('noticesOf', () => {
  it("collects the frames' notices once each, skipping empty ones", () => {
    const notice = (text: string) => ({ severity: 'info' as const, text });
    const series = [
      { fields: [], length: 0, meta: { notices: [notice('No pod nodes found'), notice('')] } },
      { fields: [], length: 0, meta: { notices: [notice('No pod nodes found'), notice('Truncated')] } },
      { fields: [], length: 0 },
    ];
    expect(noticesOf(series)).toEqual(['No pod nodes found', 'Truncated']);
  });
});

describe('emptyInstantMessage', () => {
  it('says when nothing was present at the instant, naming it, and is silent otherwise', () => {
    expect(emptyInstantMessage(3, '2025-11-24 10:00:00 UTC')).toBeUndefined();
    const m = emptyInstantMessage(0, '2025-11-24 10:00:00 UTC')!;
    expect(m).toMatchObject({ kind: 'empty', text: 'Nothing was present at 2025-11-24 10:00:00 UTC.' });
    render(<PanelMessage message={m} colors={{ error: 'red', secondary: 'grey' }} />);
    expect(screen.getByRole('status').textContent).toContain('Move the instant');
  });
});
