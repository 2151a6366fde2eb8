import { zoneName } from './zoneName';

describe('zoneName', () => {
  it("names the browser's zone for 'browser' and for no zone", () => {
    const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
    expect(zoneName('browser')).toBe(own);
    expect(zoneName('')).toBe(own);
    expect(zoneName(undefined)).toBe(own);
  });

  it('spells UTC one way and keeps other zones as they are', () => {
    expect(zoneName('utc')).toBe('UTC');
    expect(zoneName('UTC')).toBe('UTC');
    expect(zoneName('Europe/Berlin')).toBe('Europe/Berlin');
  });
});
