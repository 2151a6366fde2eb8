import { ianaZone, tickStep, timeTicks } from './timeAxis';

const at = (iso: string) => Date.parse(iso);

describe('timeTicks', () => {
  it('puts ticks on whole hours of the dashboard zone, labelled in that zone', () => {
    // 24 hours on 800 px: at most 8 labels, so every 3 hours
    const from = at('2025-11-23T16:00:00Z');
    const to = at('2025-11-24T16:00:00Z');
    const utc = timeTicks(from, to, 800, 'utc');
    expect(utc.map((t) => t.label)).toEqual(['18:00', '21:00', '11-24', '03:00', '06:00', '09:00', '12:00', '15:00']);
    expect(utc[2].time).toBe(at('2025-11-24T00:00:00Z'));
    // New York is 5 hours behind in November: its midnight is 05:00 UTC
    const ny = timeTicks(from, to, 800, 'America/New_York');
    expect(ny.map((t) => t.label)).toEqual(['12:00', '15:00', '18:00', '21:00', '11-24', '03:00', '06:00', '09:00']);
    expect(ny[4].time).toBe(at('2025-11-24T05:00:00Z'));
  });

  it('follows half-hour zones and daylight saving changes', () => {
    const kolkata = timeTicks(at('2025-11-24T00:00:00Z'), at('2025-11-24T06:00:00Z'), 600, 'Asia/Kolkata');
    expect(kolkata[0]).toEqual({ time: at('2025-11-24T00:30:00Z'), label: '06:00' });
    // Berlin leaves summer time on 2025-10-26 at 03:00 local: the ticks stay on whole local hours
    const berlin = timeTicks(at('2025-10-25T22:00:00Z'), at('2025-10-26T04:00:00Z'), 1000, 'Europe/Berlin', 150);
    expect(berlin.map((t) => t.label)).toContain('04:00');
    expect(berlin.every((t) => new Date(t.time).getUTCMinutes() === 0)).toBe(true);
    expect(new Set(berlin.map((t) => t.time)).size).toBe(berlin.length);
  });

  it('uses seconds for short ranges and dates for long ones', () => {
    const from = at('2025-11-24T10:00:00Z');
    expect(timeTicks(from, from + 60_000, 600, 'utc')[1].label).toBe('10:00:10');
    const week = timeTicks(from, from + 7 * 86_400_000, 600, 'utc');
    expect(week.map((t) => t.label)).toEqual(['11-26', '11-28', '11-30']);
  });

  it('spaces labels by the width and survives bad input', () => {
    expect(tickStep(0, 86_400_000, 2400)).toBe(3_600_000);
    expect(tickStep(0, 86_400_000, 300)).toBe(12 * 3_600_000);
    expect(timeTicks(10, 5, 600, 'utc')).toEqual([]);
    expect(timeTicks(0, 3_600_000, 600, 'No/Such_Zone').length).toBeGreaterThan(0);
    expect(ianaZone('browser')).toBeUndefined();
    expect(ianaZone('UTC')).toBe('UTC');
  });
});
