import { goDurationMs, kindOfBuildInfo, parseStoreSetting, parseVmFlags, storeOf } from './store';

describe('store.ts', () => {
  it('reads the kind from a Prometheus build info, and not from an ambiguous one', () => {
    const prom = (version: string) => ({ data: { version, revision: 'abc', goVersion: 'go1.22' } });
    expect(kindOfBuildInfo(prom('2.42.0+ds')).kind).toBe('prometheus-2');
    expect(kindOfBuildInfo(prom('3.1.0')).kind).toBe('prometheus-3');
    expect(kindOfBuildInfo({ status: 'success', data: {} }).kind).toBeUndefined(); // VictoriaMetrics 1.79
    expect(kindOfBuildInfo({ data: { version: '2.24.0' } }).kind).toBeUndefined(); // a Prometheus-like version only
    expect(kindOfBuildInfo('not json').kind).toBeUndefined();
  });

  it("parses VictoriaMetrics' /flags and Go durations", () => {
    const f = parseVmFlags('-httpListenAddr="127.0.0.1:8428"\n-search.latencyOffset="1m30s"\n');
    expect(f.get('search.latencyOffset')).toBe('1m30s');
    expect(goDurationMs('1m30s')).toBe(90_000);
    expect(goDurationMs('0s')).toBe(0);
    expect(goDurationMs('500ms')).toBe(500);
    expect(goDurationMs('2m')).toBe(120_000);
    expect(goDurationMs('soon')).toBeUndefined();
  });

  it('takes only known settings', () => {
    expect(parseStoreSetting('victoriametrics')).toBe('victoriametrics');
    expect(parseStoreSetting('mimir')).toBe('auto');
    expect(parseStoreSetting(undefined)).toBe('auto');
    expect(storeOf('prometheus-3').bounds).toBe('left-open');
  });
});
