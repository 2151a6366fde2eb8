import { frame } from '../testutil/frame';
import { deployFocus, hopsFrom } from './deployFocus';
import type { DeployMarker } from './deploys';
import { diffPresence } from './diff';
import { graphFromFrames } from './frames';
import { presenceAt } from './presence';

const step = 60_000;
const from = 0;
const deployAt = 5 * step;
const to = 10 * step;

/**
 * A pod view: frontend -> carts (v1 replaced by v2 at the deploy) -> carts-db; frontend -> catalogue; and, far
 * from carts, a noisy batch pod that comes and goes at the same time as the deploy.
 */
function pods() {
  const ids = [
    'frontend-1',
    'carts-7d9f-x2x1',
    'carts-84b2-k9k9',
    'carts-db-0',
    'catalogue-1',
    'batch-x',
    'batch-y',
    'other',
  ];
  const id = (n: string) => `pod:shop/${n}`;
  const early = { start: from, end: deployAt - step };
  const late = { start: deployAt, end: to };
  const all = { start: from, end: to };
  const life: Record<string, { start: number; end: number }> = {
    'frontend-1': all,
    'carts-7d9f-x2x1': early,
    'carts-84b2-k9k9': late,
    'carts-db-0': all,
    'catalogue-1': all,
    'batch-x': early,
    'batch-y': late,
    other: all,
  };
  const edges: Array<[string, string, { start: number; end: number }]> = [
    ['frontend-1', 'carts-7d9f-x2x1', early],
    ['frontend-1', 'carts-84b2-k9k9', late],
    ['carts-7d9f-x2x1', 'carts-db-0', early],
    ['carts-84b2-k9k9', 'carts-db-0', late],
    ['frontend-1', 'catalogue-1', all],
    ['other', 'batch-x', early],
    ['other', 'batch-y', late],
  ];
  const eid = ([s, t]: [string, string, unknown]) => `${id(s)}->${id(t)}`;
  return graphFromFrames([
    frame('nodes', { id: ids.map(id), title: ids, kind: ids.map(() => 'pod') }),
    frame('edges', { id: edges.map(eid), source: edges.map((e) => id(e[0])), target: edges.map((e) => id(e[1])) }),
    frame(
      'timeline',
      {
        id: [...ids.map(id), ...edges.map(eid)],
        entity: [...ids.map(() => 'node'), ...edges.map(() => 'edge')],
        start: [...ids.map((n) => life[n].start), ...edges.map((e) => e[2].start)],
        end: [...ids.map((n) => life[n].end), ...edges.map((e) => e[2].end)],
      },
      { custom: { stepMs: step, fromMs: from, toMs: to } },
    ),
  ]);
}

const carts: DeployMarker = {
  time: deployAt,
  title: 'shop/carts',
  text: '',
  workload: 'shop/carts',
  revision: 'abc1234',
};

describe('deployFocus', () => {
  const g = pods();
  const diff = diffPresence(presenceAt(g, deployAt - step), presenceAt(g, deployAt + step));
  const f = deployFocus(g, carts, diff);
  const title = (i: number) => g.nodes[i].title;

  it('marks the deployed workload (its pods, old and new) and their neighbours, and nothing else', () => {
    expect(f.deployed.map(title)).toEqual(['carts-7d9f-x2x1', 'carts-84b2-k9k9']);
    expect(g.nodes.filter((_, i) => f.near[i]).map((n) => n.title)).toEqual([
      'frontend-1',
      'carts-7d9f-x2x1',
      'carts-84b2-k9k9',
      'carts-db-0',
    ]);
  });

  it('lists the changes nearest the deploy first, the unrelated churn last', () => {
    expect(f.changes.map((c) => [c.label, c.status, c.distance])).toEqual([
      ['carts-84b2-k9k9', 'added', 0],
      ['carts-7d9f-x2x1', 'removed', 0],
      ['carts-84b2-k9k9 → carts-db-0', 'added', 0],
      ['frontend-1 → carts-84b2-k9k9', 'added', 0],
      ['carts-7d9f-x2x1 → carts-db-0', 'removed', 0],
      ['frontend-1 → carts-7d9f-x2x1', 'removed', 0],
      ['batch-y', 'added', -1],
      ['batch-x', 'removed', -1],
      ['other → batch-y', 'added', -1],
      ['other → batch-x', 'removed', -1],
    ]);
  });

  it('counts hops over the edges of the whole range, in either direction', () => {
    const d = hopsFrom(g, [g.index.get('pod:shop/catalogue-1')!]);
    expect(g.nodes.map((n, i) => [n.title, d[i]])).toEqual([
      ['frontend-1', 1],
      ['carts-7d9f-x2x1', 2],
      ['carts-84b2-k9k9', 2],
      ['carts-db-0', 3],
      ['catalogue-1', 0],
      ['batch-x', -1],
      ['batch-y', -1],
      ['other', -1],
    ]);
  });

  it('a deploy of a workload not in the graph marks nothing and keeps every change', () => {
    const none = deployFocus(g, { ...carts, workload: 'shop/nothing', title: 'shop/nothing' }, diff);
    expect(none.deployed).toEqual([]);
    expect(none.near.every((x) => x === 0)).toBe(true);
    expect(none.changes).toHaveLength(10);
  });
});
