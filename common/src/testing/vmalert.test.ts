import { queryInstant } from './prometheus';
import { waitFor } from './ports';
import { startVictoriaMetrics, type RunningVictoriaMetrics } from './victoriaMetrics';
import { replayVmalert, startVmalert, type RunningVmalert } from './vmalert';

jest.setTimeout(60_000);

const rules = `
groups:
  - name: demo
    rules:
      - record: demo:up:sum
        expr: sum(demo_up)
      - record: demo:up:double
        expr: demo:up:sum * 2
      - alert: DemoUp
        expr: demo:up:sum > 0
`;

describe('vmalert', () => {
  let vm: RunningVictoriaMetrics | undefined;
  let alert: RunningVmalert | undefined;
  afterAll(async () => {
    await alert?.stop();
    await vm?.stop();
  });

  it('replays chained recording rules over a past range into VictoriaMetrics', async () => {
    const t0 = Math.floor(Date.now() / 1000 / 60) * 60 - 7200;
    const lines = ['# TYPE demo_up gauge'];
    for (let i = 0; i <= 20; i++) lines.push(`demo_up{svc="a"} 1 ${t0 + i}`, `demo_up{svc="b"} 1 ${t0 + i}`);
    lines.push('# EOF', '');
    vm = await startVictoriaMetrics({ openMetrics: lines.join('\n') });
    await replayVmalert({
      datasourceUrl: vm.url,
      remoteWriteUrl: vm.url,
      ruleTexts: [rules],
      fromSec: t0 + 5,
      toSec: t0 + 15,
    });
    await vm.flush();
    const got = await queryInstant(vm, 'demo:up:double', t0 + 10);
    expect(got.map((s) => s.value[1])).toEqual(['4']);
  });

  it('evaluates live and posts alerts to its notifier', async () => {
    if (!vm) throw new Error('no store');
    const store = vm;
    alert = await startVmalert({ datasourceUrl: store.url, remoteWriteUrl: store.url, ruleTexts: [rules] });
    // the store has no live demo_up: the alert stays silent, and the rules are loaded
    const groups = await alert.api<{ groups: { name: string; rules: unknown[] }[] }>('rules');
    expect(groups.groups.map((g) => [g.name, g.rules.length])).toEqual([['demo', 3]]);
    await store.importOpenMetrics(`demo_up{svc="a"} 1 ${Date.now() / 1000}\n`);
    const running = alert;
    await waitFor('the alert to reach the sink', async () => running.alerts().length > 0);
    expect(running.alerts()[0]?.labels.alertname).toBe('DemoUp');
  });
});
