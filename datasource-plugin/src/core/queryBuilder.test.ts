import { lookbackMs } from '@timescope/common';
import { labelsQuery, presentExpr, statesQuery, transitionsQuery, type Family } from './queryBuilder';
import { nodeFamily, nodeMatchers } from './queryPlan';

const t = { lookbackMs: lookbackMs(15_000) };
const info: Family = { by: ['node'], selector: 'timescope_service_info', presence: 'sample', value: 'group' };

describe('query builder', () => {
  it('bounds presence to two scrape intervals, not the five-minute default', () => {
    expect(t.lookbackMs).toBe(29_999);
    expect(presentExpr(info, t)).toBe('group by (node) (last_over_time(timescope_service_info[29999ms]))');
  });

  it('asks for the state at named instants in one query with @', () => {
    expect(
      statesQuery(info, t, [
        { name: 'from', sec: 1000 },
        { name: 'to', sec: 2000.5 },
      ]),
    ).toBe(
      'label_replace(group by (node) (last_over_time(timescope_service_info[29999ms] @ 1000.000)), "timescope_at", "from", "", "")' +
        ' or label_replace(group by (node) (last_over_time(timescope_service_info[29999ms] @ 2000.500)), "timescope_at", "to", "", "")',
    );
  });

  it('asks for appearances and disappearances against the previous step', () => {
    const q = transitionsQuery(info, t, 60_000);
    expect(q).toBe(
      '(group by (node) (last_over_time(timescope_service_info[29999ms])) unless group by (node) (last_over_time(timescope_service_info[29999ms] offset 60000ms)))' +
        ' or (-1 * (group by (node) (last_over_time(timescope_service_info[29999ms] offset 60000ms)) unless group by (node) (last_over_time(timescope_service_info[29999ms]))))',
    );
  });

  it('counts only positive edges and increases of counters', () => {
    const edges: Family = { by: ['source', 'target'], selector: 'e', presence: 'positive', value: 'sum' };
    expect(presentExpr(edges, t)).toBe('group by (source, target) ((last_over_time(e[29999ms]) > 0))');
    const tempo: Family = { by: ['client', 'server'], selector: 'c', presence: 'increase', value: 'sum' };
    expect(presentExpr(tempo, t)).toBe('group by (client, server) ((increase(c[59998ms]) > 0))');
  });

  it('asks for labels over the window, preferring (value 2) those present at the reference instant', () => {
    expect(labelsQuery(info, t, 3_600_000, 5000)).toBe(
      '(last_over_time(timescope_service_info[29999ms] @ 5000.000) * 2) or last_over_time(timescope_service_info[3600000ms])',
    );
  });

  it('escapes every filter value', () => {
    expect(nodeMatchers('workload', { namespace: 'a"b|c', name: 'x\\d+', kind: 'Deployment' })).toEqual([
      { label: 'namespace', op: '=~', value: '(a"b|c)' },
      { label: 'name', op: '=~', value: 'x\\d+' },
      { label: 'workload_kind', op: '=~', value: 'Deployment' },
    ]);
    expect(nodeFamily('process', { namespace: 'we"ird\n{ns}', name: '.*\\}' }).selector).toBe(
      'timescope_process_info{namespace=~"we\\"ird\\n\\\\{ns\\\\}", name=~".*\\\\}"}',
    );
  });
});
