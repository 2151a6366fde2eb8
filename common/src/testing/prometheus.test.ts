import { startPrometheus, queryInstant, type RunningPrometheus } from './prometheus';

jest.setTimeout(60_000);

describe('startPrometheus', () => {
  let prom: RunningPrometheus | undefined;
  afterAll(async () => prom?.stop());

  it('backfills OpenMetrics and answers instant queries at past times', async () => {
    const t0 = Math.floor(Date.now() / 1000) - 7200;
    const lines = ['# TYPE demo_up gauge'];
    for (let i = 0; i < 10; i++) lines.push(`demo_up{svc="a"} 1 ${t0 + i * 15}`);
    lines.push('# EOF', '');
    prom = await startPrometheus({ openMetrics: lines.join('\n') });
    const at = await queryInstant(prom, 'demo_up', t0 + 60);
    expect(at.map((s) => s.metric.svc)).toEqual(['a']);
    const before = await queryInstant(prom, 'demo_up', t0 - 60);
    expect(before).toEqual([]);
  });
});

describe('recording rules backfilled by promtool', () => {
  let prom: RunningPrometheus | undefined;
  afterAll(async () => prom?.stop());

  // The groups the tests and benches backfill, by name and interval (a group's evaluation offset hashes its name and
  // file path): none may lose the evaluation promtool drops in the last second before a 2-hour block boundary.
  const groups = [
    { name: 'timescope-edges', intervalS: 15 },
    { name: 'timescope-presence', intervalS: 15 },
    { name: 'timescope-presence', intervalS: 120 },
  ];
  const record = (g: { name: string; intervalS: number }): string =>
    `probe:${g.name.replace(/-/g, '_')}:${g.intervalS}s`;
  const group = (g: { name: string; intervalS: number }): string =>
    [
      `  - name: ${g.name}`,
      `    interval: ${g.intervalS}s`,
      '    rules:',
      `      - record: ${record(g)}`,
      '        expr: vector(1)',
    ].join('\n');

  it('evaluates every interval across a block boundary', async () => {
    const boundary = Math.floor(Date.now() / 1000 / 7200) * 7200 - 4 * 3600;
    const [startSec, endSec] = [boundary - 900, boundary + 900];
    const stage = (gs: typeof groups): { rules: string; startSec: number; endSec: number } => ({
      rules: `groups:\n${gs.map(group).join('\n')}\n`,
      startSec,
      endSec,
    });
    // two groups of one name cannot share a file: one stage each
    prom = await startPrometheus({ recordingRules: [stage(groups.slice(0, 2)), stage(groups.slice(2))] });
    for (const g of groups) {
      const data = await prom.api<{ result: { values: [number, string][] }[] }>('query', {
        query: `${record(g)}[${endSec - startSec + 60}s]`,
        time: endSec + 30,
      });
      const times = (data.result[0]?.values ?? []).map(([t]) => t);
      const gaps = times.slice(1).map((t, i) => Math.round(t - (times[i] as number)));
      expect({ group: record(g), evaluations: times.length, gaps: [...new Set(gaps)] }).toEqual({
        group: record(g),
        evaluations: Math.round((endSec - startSec) / g.intervalS),
        gaps: [g.intervalS],
      });
    }
  });
});
