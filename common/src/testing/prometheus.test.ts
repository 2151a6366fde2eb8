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
