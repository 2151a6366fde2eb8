import type { Topology } from './model/topology';
import { ScrapeWindow } from './scrapeWindow';

const host = { id: 'host:h', name: 'h', kernel: '', os: '', addresses: [] };
const proc = (name: string, rssBytes = 1) => ({
  id: `process:h/${name}`,
  key: name,
  name,
  parent: 'host:h',
  user: 'root',
  cmdline: name,
  containerId: '',
  pid: 1,
  ppid: 0,
  instances: 1,
  cpuSeconds: 0,
  rssBytes,
  startTime: 0,
});
const topo = (procs: string[], edges: [string, number][], rss = 1): Topology => ({
  host,
  containers: [],
  processes: procs.map((p) => proc(p, rss)),
  listeners: [{ node: 'process:h/srv', address: '127.0.0.1', port: 80, family: 'ipv4' }],
  edges: edges.map(([s, n]) => ({ source: `process:h/${s}`, target: 'process:h/srv', port: 80, connections: n })),
  remotes: [],
});
const view = (t: Topology) => ({ topology: t, nat: [] });

describe('ScrapeWindow', () => {
  it('publishes everything the probes saw since the previous scrape, edges at their highest count', () => {
    const w = new ScrapeWindow();
    expect(w.take()).toBeUndefined();
    w.add(view(topo(['srv', 'a'], [['a', 2]])));
    w.add(
      view(
        topo(
          ['srv', 'a', 'brief'],
          [
            ['a', 5],
            ['brief', 1],
          ],
          7,
        ),
      ),
    );
    w.add(view(topo(['srv', 'a'], [['a', 1]], 9)));
    const t = w.take()!;
    expect(t.probes).toBe(3);
    expect(t.view.topology.edges.map((e) => `${e.source}=${e.connections}`).sort()).toEqual([
      'process:h/a=5',
      'process:h/brief=1',
    ]);
    expect(t.view.topology.processes.map((p) => `${p.name}:${p.rssBytes}`).sort()).toEqual(['a:9', 'brief:7', 'srv:9']);
    expect(t.view.topology.listeners).toHaveLength(1);
  });

  it('starts a new window at each scrape, and serves the last probe while no probe has completed', () => {
    const w = new ScrapeWindow();
    const first = view(
      topo(
        ['srv', 'a', 'brief'],
        [
          ['a', 5],
          ['brief', 1],
        ],
      ),
    );
    w.add(first);
    const last = view(topo(['srv', 'a'], [['a', 1]]));
    w.add(last);
    expect(w.take()!.view.topology.edges).toHaveLength(2);
    // no probe since: the last one, the same object every time
    expect(w.take()).toEqual({ view: last, probes: 0 });
    expect(w.take()!.view).toBe(last);
    const next = view(topo(['srv'], []));
    w.add(next);
    expect(w.take()).toEqual({ view: next, probes: 1 });
  });

  it('leaves the probes it merged unchanged', () => {
    const w = new ScrapeWindow();
    const a = view(topo(['srv', 'a'], [['a', 2]]));
    w.add(a);
    w.add(view(topo(['srv', 'a'], [['a', 4]])));
    expect(w.take()!.view.topology.edges[0].connections).toBe(4);
    expect(a.topology.edges[0].connections).toBe(2);
  });
});
