import { queryInstant } from '../testing/prometheus';
import { deployInstantsMs, edgesAt, graphAt, graphDiff, nodesAt, type ViewKind } from './expectations';
import { sampleInstants, toOpenMetrics } from './openMetrics';
import { startHistoryPrometheus, type HistoryPrometheus } from './prometheus';
import { createScenario, ODD_PROCESS_NAME } from './scenario';

const END = 1_764_000_000; // fixed, so the expectations below are literal

describe('the history scenario (no Prometheus)', () => {
  const h = createScenario({ endSec: END });

  it('is deterministic and ends in # EOF', () => {
    const a = toOpenMetrics(h);
    expect(toOpenMetrics(createScenario({ endSec: END }))).toBe(a);
    expect(a.endsWith('# EOF\n')).toBe(true);
    expect(h.endSec - h.startSec).toBe(24 * 3600);
  });

  it('samples every 15 s within each series lifetime', () => {
    const s = h.series.find((x) => x.labels.node === 'process:node-2/payment[8084]')!;
    const t = sampleInstants(h, s);
    expect(t[0]).toBe(h.startSec);
    expect(t[1] - t[0]).toBe(15);
    expect(t[t.length - 1]).toBe(h.events.paymentGone - 15);
  });

  it('knows which services come and go', () => {
    expect(nodesAt(h, 'service', h.events.paymentGone - 1)).toContain('service:shop/payment');
    // the last sample is at paymentGone - 15; the 30 s lookback keeps it until just before paymentGone + 15
    expect(nodesAt(h, 'service', h.events.paymentGone + 14)).toContain('service:shop/payment');
    expect(nodesAt(h, 'service', h.events.paymentGone + 15)).not.toContain('service:shop/payment');
    expect(graphDiff(h, 'service', h.startSec + 7 * 3600, h.startSec + 9 * 3600)).toEqual({
      addedNodes: ['service:shop/shipping'],
      removedNodes: [],
      addedEdges: ['service:shop/shipping->service:shop/orders'],
      removedEdges: [],
    });
  });

  it('resolves cross-host and external connections and rolls them up to hosts', () => {
    const t = h.startSec + 6 * 3600;
    expect(edgesAt(h, 'process', t)).toContain('process:node-1/frontend[8080]->process:node-2/orders[8083]');
    expect(edgesAt(h, 'process', t)).toContain('external:203.0.113.7->process:node-1/frontend[8080]');
    expect(graphAt(h, 'host', t)).toEqual({
      nodes: ['external:203.0.113.7', 'host:node-1', 'host:node-2', 'host:node-3'],
      edges: ['external:203.0.113.7->host:node-1', 'host:node-1->host:node-2'],
    });
  });

  it('lists deploys with start and end in ms', () => {
    expect(deployInstantsMs(h)).toHaveLength(5);
    expect(deployInstantsMs(h)[0]).toEqual({
      time: h.events.cartsDeploy * 1000,
      timeEnd: (h.events.cartsDeploy + 90) * 1000,
    });
  });
});

jest.setTimeout(120_000);

describe('the history scenario in a real Prometheus', () => {
  let hp: HistoryPrometheus | undefined;
  beforeAll(async () => {
    hp = await startHistoryPrometheus({ endSec: END });
  });
  afterAll(async () => hp?.prom.stop());

  const presentNodes = async (kind: ViewKind, metric: string, t: number): Promise<string[]> => {
    const r = await queryInstant(hp!.prom, `group by (node) (last_over_time(${metric}[29999ms]))`, t);
    return r.map((s) => s.metric.node).sort();
  };

  it('answers, at several instants, exactly the nodes and published edges the expectations list', async () => {
    const h = hp!.history;
    const instants = [
      h.startSec,
      h.events.cartsDeploy + 30,
      h.events.paymentGone + 29,
      h.events.paymentGone + 30,
      h.events.node3Down + 60,
      h.endSec,
    ];
    for (const t of instants) {
      expect(await presentNodes('process', 'timescope_process_info', t)).toEqual(nodesAt(h, 'process', t));
      expect(await presentNodes('service', 'timescope_service_info', t)).toEqual(nodesAt(h, 'service', t));
      const edges = await queryInstant(
        hp!.prom,
        'group by (source, target) (last_over_time(timescope_edge_connections{kind="pod"}[29999ms]) > 0)',
        t,
      );
      expect(edges.map((s) => `${s.metric.source}->${s.metric.target}`).sort()).toEqual(edgesAt(h, 'pod', t));
    }
  });

  it('stores label values with quotes, backslashes and braces intact', async () => {
    const r = await queryInstant(
      hp!.prom,
      'timescope_process_info{host="node-2"}',
      hp!.history.events.oddProcessStart + 60,
    );
    expect(r.map((s) => s.metric.name)).toContain(`${ODD_PROCESS_NAME}[9000]`);
  });

  it('holds every deploy with its start time as the value', async () => {
    const r = await queryInstant(
      hp!.prom,
      'last_over_time(timescope_deploy_timestamp_seconds[1d])',
      hp!.history.endSec,
    );
    const got = r.map((s) => Number(s.value[1]) * 1000).sort();
    expect(got).toEqual(deployInstantsMs(hp!.history).map((d) => d.time));
  });
});
