// fixedX / fixedY for Grafana's Node Graph: every node of the nodes frame has a finite position, and a node keeps
// its position as the instant moves, though the nodes around it come and go (a real Prometheus holding the history).
import type { DataFrame } from '@grafana/data';
import { NodeGraphField } from '@timescope/common';
import { startHistoryPrometheus, type HistoryPrometheus } from '@timescope/common/history';
import { fetchPromClient } from './promClient';
import { runTopology } from './run';
import type { TopologyRequest } from './topology';

jest.setTimeout(120_000);

const END = 1_764_000_000;
const H = 3600;
let hp: HistoryPrometheus;

beforeAll(async () => {
  hp = await startHistoryPrometheus({ endSec: END });
});
afterAll(async () => {
  await hp?.prom.stop();
});

const S = END - 24 * H;
function req(instantSec: number, over: Partial<TopologyRequest> = {}): TopologyRequest {
  return {
    view: 'process',
    mode: 'instant',
    filters: {},
    groupBy: 'none',
    edgeSource: 'timescope',
    fromMs: S * 1000,
    toMs: END * 1000,
    instantMs: instantSec * 1000,
    stepMs: 600_000,
    scrapeIntervalMs: 15_000,
    nodePositions: 'layered',
    ...over,
  };
}

const values = (f: DataFrame, name: string): unknown[] => f.fields.find((x) => x.name === name)?.values ?? [];

async function positions(r: TopologyRequest): Promise<Map<string, [number, number]>> {
  const result = await runTopology(fetchPromClient({ url: hp.prom.url }), r, 'A', []);
  expect(result.error).toBeUndefined();
  const nodes = result.frames[0];
  const ids = values(nodes, NodeGraphField.id) as string[];
  const xs = values(nodes, NodeGraphField.fixedX) as number[];
  const ys = values(nodes, NodeGraphField.fixedY) as number[];
  return new Map(ids.map((id, i) => [id, [xs[i], ys[i]]]));
}

describe('node positions for Grafana’s Node Graph', () => {
  it('gives every node a finite position, the same at every instant of the range', async () => {
    const instants = [S + 2 * H, S + 9 * H, S + 17 * H, END];
    const all = await Promise.all(instants.map((t) => positions(req(t))));
    for (const at of all) {
      expect(at.size).toBeGreaterThan(0);
      for (const [x, y] of at.values()) {
        expect(Number.isFinite(x) && Number.isFinite(y)).toBe(true);
      }
    }
    const sets = all.map((at) => [...at.keys()].sort().join(','));
    expect(new Set(sets).size).toBeGreaterThan(1); // the graph changes between these instants
    const first = new Map<string, [number, number]>();
    for (const at of all) {
      for (const [id, p] of at) {
        if (!first.has(id)) first.set(id, p);
        expect([id, p]).toEqual([id, first.get(id)]);
      }
    }
  });

  it('gives the same positions in range mode as at an instant', async () => {
    const range = await positions(req(END, { mode: 'range' }));
    const instant = await positions(req(S + 9 * H));
    for (const [id, p] of instant) expect([id, range.get(id)]).toEqual([id, p]);
  });

  it('adds no position fields unless asked', async () => {
    const result = await runTopology(
      fetchPromClient({ url: hp.prom.url }),
      req(END, { nodePositions: undefined }),
      'A',
      [],
    );
    const names = result.frames[0].fields.map((f) => f.name);
    expect(names).not.toContain(NodeGraphField.fixedX);
    expect(names).not.toContain(NodeGraphField.fixedY);
  });
});
