import { anyOf, durationMs, escapeRegex, escapeString, matcher, quote, selector } from './promql';

describe('PromQL escaping', () => {
  it('escapes quotes, backslashes and newlines in string literals', () => {
    expect(quote('a"b')).toBe('"a\\"b"');
    expect(quote('a\\b')).toBe('"a\\\\b"');
    expect(quote('line1\nline2')).toBe('"line1\\nline2"');
    expect(quote('tab\there\r')).toBe('"tab\\there\\r"');
    expect(escapeString('bell\u0007')).toBe('bell\\u0007');
    expect(quote('{braces}')).toBe('"{braces}"');
  });

  it('round-trips through a JSON parser, whose escapes are a subset of PromQL/Go ones', () => {
    for (const s of ['odd"proc\\{1}', 'x\ny', '"}{"', '\\"', 'ünïcødé ✓']) {
      expect(JSON.parse(quote(s))).toBe(s);
    }
  });

  it('escapes regex metacharacters so a value matches only itself', () => {
    const v = 'odd"proc\\{1}[9000].*';
    const re = new RegExp(`^${escapeRegex(v)}$`);
    expect(re.test(v)).toBe(true);
    expect(re.test('odd"proc\\{1}[9000]xx')).toBe(false);
    expect(anyOf(['a.b', 'c|d'])).toBe('(a\\.b|c\\|d)');
  });

  it('builds selectors and refuses names that cannot be escaped', () => {
    expect(selector('up', [{ label: 'job', op: '=~', value: 'a"b' }])).toBe('up{job=~"a\\"b"}');
    expect(() => selector('up{}', [])).toThrow(/not a metric name/);
    expect(() => matcher({ label: 'a-b', op: '=', value: '' })).toThrow(/not a label name/);
    expect(durationMs(29999.4)).toBe('29999ms');
  });
});
