import { queryInstant } from './prometheus';
import { openMetricsLineToPrometheus, startVictoriaMetrics, type RunningVictoriaMetrics } from './victoriaMetrics';

jest.setTimeout(60_000);

describe('openMetricsLineToPrometheus', () => {
  it('turns the seconds timestamp into milliseconds and leaves other lines alone', () => {
    expect(openMetricsLineToPrometheus('a{b="c d"} 1 1700000000.5')).toBe('a{b="c d"} 1 1700000000500');
    expect(openMetricsLineToPrometheus('a 1')).toBe('a 1');
    expect(openMetricsLineToPrometheus('# EOF')).toBeUndefined();
    expect(openMetricsLineToPrometheus('')).toBeUndefined();
  });
});

describe('startVictoriaMetrics', () => {
  let vm: RunningVictoriaMetrics | undefined;
  afterAll(async () => vm?.stop());

  it('imports OpenMetrics and answers instant queries at past times, with the latency offset off', async () => {
    const t0 = Math.floor(Date.now() / 1000) - 7200;
    const lines = ['# TYPE demo_up gauge'];
    for (let i = 0; i < 10; i++) lines.push(`demo_up{svc="a"} 1 ${t0 + i * 15}`);
    lines.push('# EOF', '');
    vm = await startVictoriaMetrics({ openMetrics: lines.join('\n') });
    expect(vm.flags).toContain('-search.latencyOffset=0s');
    const at = await queryInstant(vm, 'demo_up', t0 + 60);
    expect(at.map((s) => s.metric.svc)).toEqual(['a']);
    expect(await queryInstant(vm, 'demo_up', t0 - 60)).toEqual([]);
    const build = await vm.api<{ version?: string }>('status/buildinfo').catch(() => ({}));
    expect(build).toBeDefined();
  });
});
