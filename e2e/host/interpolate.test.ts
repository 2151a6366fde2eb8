// Template variables in the host as Grafana interpolates them: its formats, multi-value variables and All.
import { interpolate, variablesFromSearch, type HostVariable } from './src/interpolate';

const vars: Record<string, HostVariable> = {
  one: { values: ['api.v1'] },
  many: { values: ['a.b', 'c|d'], multi: true },
  all: { values: ['$__all'], options: ['x', 'y.z'], multi: true },
  custom: { values: ['$__all'], options: ['x', 'y'], allValue: '.*' },
  single: { values: ['only'], multi: true },
};

describe('interpolate', () => {
  it('writes a single value as it is, and escapes it for regex', () => {
    expect(interpolate('$one ${one} [[one]]', vars)).toBe('api.v1 api.v1 api.v1');
    expect(interpolate('${one:regex}', vars)).toBe('api\\.v1');
    expect(interpolate('${one}', vars, undefined, 'regex')).toBe('api\\.v1');
    expect(interpolate('${one:raw}', vars, undefined, 'regex')).toBe('api.v1');
  });

  it('joins a multi-value variable per format', () => {
    expect(interpolate('${many:regex}', vars)).toBe('(a\\.b|c\\|d)');
    expect(interpolate('${many:pipe}', vars)).toBe('a.b|c|d');
    expect(interpolate('${many:csv}', vars)).toBe('a.b,c|d');
    expect(interpolate('${many:json}', vars)).toBe('["a.b","c|d"]');
    expect(interpolate('${many:glob}', vars)).toBe('{a.b,c|d}');
    expect(interpolate('${many:raw}', vars)).toBe('a.b,c|d');
    // no format: Grafana's default for several values is glob
    expect(interpolate('$many', vars)).toBe('{a.b,c|d}');
  });

  it('gives a multi-value variable holding one value without brackets', () => {
    expect(interpolate('${single:regex}', vars)).toBe('only');
    expect(interpolate('${single:glob}', vars)).toBe('only');
    expect(interpolate('${single:json}', vars)).toBe('["only"]');
  });

  it('expands $__all to every option, or to the custom all value unformatted', () => {
    expect(interpolate('${all:regex}', vars)).toBe('(x|y\\.z)');
    expect(interpolate('${all:pipe}', vars)).toBe('x|y.z');
    expect(interpolate('${custom:regex}', vars)).toBe('.*');
    expect(interpolate('$custom', vars, undefined, 'csv')).toBe('.*');
  });

  it('calls a function format with the value, and prefers scoped variables', () => {
    const fmt = (v: string | string[]) => (Array.isArray(v) ? v.join(' OR ') : `=${v}`);
    expect(interpolate('$many', vars, undefined, fmt)).toBe('a.b OR c|d');
    expect(interpolate('$one', vars, undefined, fmt)).toBe('=api.v1');
    expect(interpolate('$one', vars, { one: { text: 'o', value: 'scoped' } })).toBe('scoped');
  });

  it('leaves unknown variables as written and names an unknown format', () => {
    expect(interpolate('$nope ${nope:csv}', vars)).toBe('$nope ${nope:csv}');
    expect(() => interpolate('${one:bogus}', vars)).toThrow(/unknown variable format 'bogus'/);
  });

  it('reads variables from the page URL: repeated values, options for All, a custom all value', () => {
    const search = new URLSearchParams('var-a=1&var-a=2&var-b=$__all&varopts-b=["p","q"]&var-c=$__all&varall-c=.*');
    const v = variablesFromSearch(search);
    expect(interpolate('${a:csv} ${b:pipe} ${c:regex}', v)).toBe('1,2 p|q .*');
  });
});
