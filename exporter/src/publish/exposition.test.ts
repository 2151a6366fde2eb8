import type { MetricFamily, SampleLabels } from '../runtime/source';
import { escapeLabelValue, formatValue, freezeFamily, isFrozenFamily, renderExposition } from './exposition';

describe('renderExposition', () => {
  it('renders HELP, TYPE and samples with escaped label values', () => {
    const text = renderExposition([
      {
        name: 'timescope_process_info',
        help: 'a process\nwith a newline',
        type: 'gauge',
        samples: [{ labels: { name: 'a "b" \\ c\n<script>' }, value: 1 }],
      },
    ]);
    expect(text).toBe(
      '# HELP timescope_process_info a process\\nwith a newline\n' +
        '# TYPE timescope_process_info gauge\n' +
        'timescope_process_info{name="a \\"b\\" \\\\ c\\n<script>"} 1\n',
    );
  });

  it('merges families of one name from several collectors and drops duplicate series', () => {
    const up = (source: string): MetricFamily => ({
      name: 'timescope_source_up',
      help: 'up',
      type: 'gauge',
      samples: [{ labels: { source }, value: 1 }],
    });
    const text = renderExposition([up('procfs'), up('git'), up('git')]);
    expect(text.match(/# TYPE/g)).toHaveLength(1);
    expect(text).toContain('timescope_source_up{source="procfs"} 1\ntimescope_source_up{source="git"} 1\n');
    expect(text.match(/source="git"/g)).toHaveLength(1);
  });

  it('reports and drops a family whose type conflicts, or whose names are invalid', () => {
    const problems: string[] = [];
    const text = renderExposition(
      [
        { name: 'x_total', help: 'h', type: 'counter', samples: [{ labels: {}, value: 1 }] },
        { name: 'x_total', help: 'h', type: 'gauge', samples: [{ labels: {}, value: 2 }] },
        { name: 'bad-name', help: 'h', type: 'gauge', samples: [] },
        { name: 'y', help: 'h', type: 'gauge', samples: [{ labels: { 'bad-label': 'v' } as SampleLabels, value: 1 }] },
      ],
      (p) => problems.push(`${p.family}: ${p.problem}`),
    );
    expect(text).toContain('x_total 1\n');
    expect(text).not.toContain('x_total 2');
    expect(text).not.toContain('bad');
    expect(problems).toHaveLength(3);
  });

  it('formats special values', () => {
    expect(formatValue(NaN)).toBe('NaN');
    expect(formatValue(Infinity)).toBe('+Inf');
    expect(formatValue(-Infinity)).toBe('-Inf');
    expect(formatValue(0.25)).toBe('0.25');
    expect(escapeLabelValue('plain')).toBe('plain');
  });

  it('renders a frozen family once and serves the same text after, and re-renders a mutable one', () => {
    const frozen = freezeFamily({
      name: 'a',
      help: 'h',
      type: 'gauge',
      samples: [{ labels: { name: '1' }, value: 1 }],
    });
    const mutable: MetricFamily = { name: 'b', help: 'h', type: 'gauge', samples: [{ labels: {}, value: 1 }] };
    expect(isFrozenFamily(frozen)).toBe(true);
    expect(isFrozenFamily(mutable)).toBe(false);
    const first = renderExposition([frozen, mutable]);
    (mutable.samples[0] as { value: number }).value = 2;
    const second = renderExposition([frozen, mutable]);
    expect(first).toContain('a{name="1"} 1\n');
    expect(second).toBe(first.replace('b 1', 'b 2'));
  });

  it('renders a new frozen snapshot afresh, and merges a frozen family with others of its name', () => {
    const snap = (v: number): MetricFamily =>
      freezeFamily({ name: 'up', help: 'h', type: 'gauge', samples: [{ labels: { source: 'p' }, value: v }] });
    expect(renderExposition([snap(1)])).toContain('up{source="p"} 1\n');
    expect(renderExposition([snap(0)])).toContain('up{source="p"} 0\n');
    const other: MetricFamily = {
      name: 'up',
      help: 'h',
      type: 'gauge',
      samples: [{ labels: { source: 'g' }, value: 1 }],
    };
    const text = renderExposition([snap(1), other, snap(1)]);
    expect(text.match(/# TYPE/g)).toHaveLength(1);
    expect(text.match(/source="p"/g)).toHaveLength(1);
    expect(text).toContain('up{source="g"} 1\n');
  });

  it('writes multi-byte UTF-8 label values intact across buffer growth', () => {
    const samples = Array.from({ length: 10_000 }, (_, i) => ({ labels: { name: `é€😀${i}` }, value: i }));
    const text = renderExposition([{ name: 'u', help: 'h', type: 'gauge', samples }]);
    expect(text).toContain('u{name="é€😀9999"} 9999\n');
    expect(text.split('\n').filter((l) => l.startsWith('u{'))).toHaveLength(10_000);
  });
});
