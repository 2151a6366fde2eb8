import { parseView, VIEWS } from './query';

describe('parseView', () => {
  it('takes every view, and the plural the panel switch and dashboard variables show', () => {
    for (const v of VIEWS) {
      expect(parseView(v)).toBe(v);
      expect(parseView(`${v}s`)).toBe(v);
    }
    expect(parseView(' Process ')).toBe('process');
  });

  it('falls back to the default view only when none is given', () => {
    expect(parseView(undefined)).toBe('service');
    expect(parseView('')).toBe('service');
  });

  it('refuses an unknown view (an uninterpolated variable, say) with a message naming the views', () => {
    expect(parseView('$view')).toEqual({
      error: 'Unknown view "$view": use one of host, process, container, pod, workload, service',
    });
  });
});
