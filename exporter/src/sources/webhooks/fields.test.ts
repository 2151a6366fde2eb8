import { parseRfc3339, parseTimeValue } from './fields';

describe('parseRfc3339', () => {
  it('takes valid times, offsets and fractions', () => {
    expect(parseRfc3339('2026-11-25T06:00:00.123Z')).toBe(Date.UTC(2026, 10, 25, 6, 0, 0, 123));
    expect(parseRfc3339('2024-02-29T23:59:59+01:00')).toBe(Date.UTC(2024, 1, 29, 22, 59, 59));
  });
  it.each([
    '0000-01-01T00:00:00Z',
    '2026-02-30T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-11-25T24:00:00Z',
    '2026-11-25T23:60:00Z',
    '2026-11-25T23:00:60Z',
    '2026-13-01T00:00:00Z',
    '2026-11-25T06:00:00+24:00',
  ])('refuses %s', (v) => {
    expect(parseRfc3339(v)).toBeUndefined();
    expect(() => parseTimeValue(v, 'startedAt')).toThrow(/startedAt: expected an RFC 3339 time/);
  });
});
