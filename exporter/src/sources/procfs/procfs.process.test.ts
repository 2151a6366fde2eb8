// Real processes over loopback: a server and several clients over IPv4, IPv6 and IPv4-mapped IPv6; the exporter's
// /metrics must show exactly those edges, and nothing of them once the clients are gone.
import { Metric } from '@timescope/common';
import { waitFor } from '@timescope/common/testing';
import { startExporterProcess, type ExporterProcess } from '../../testutil/exporterProcess';
import { samplesOf } from '../../testutil/exposition';
import { runTag, startClient, startServer, type NetProcess } from '../../testutil/netProcesses';
import { promtoolCheck } from '../../testutil/promtool';

jest.setTimeout(60_000);

const HOST = 'testhost';
const tag = runTag();
const name = (role: string): string => `t${tag}-${role}`;
const pid = (title: string, port?: number): string => `process:${HOST}/${title}${port ? `[${port}]` : ''}`;

describe('procfs source with real processes', () => {
  const procs: NetProcess[] = [];
  let exporter: ExporterProcess | undefined;
  afterAll(async () => {
    await exporter?.kill();
    await Promise.all(procs.map((p) => p.stop()));
  });

  /** Edges and remote connections that involve this run's processes. */
  const ours = (text: string): { edges: string[]; remotes: string[] } => ({
    edges: samplesOf(text, Metric.EdgeConnections)
      .filter((s) => s.labels.source.includes(`t${tag}-`) || s.labels.target.includes(`t${tag}-`))
      .map((s) => `${s.labels.source} -> ${s.labels.target} :${s.labels.port} = ${s.value}`)
      .sort(),
    remotes: samplesOf(text, Metric.RemoteConnections)
      .filter((s) => s.labels.node.includes(`t${tag}-`))
      .map((s) => `${s.labels.node} ${s.labels.direction} ${s.labels.address}:${s.labels.port}`),
  });

  it('shows exactly the edges between the servers and their clients', async () => {
    const v4 = await startServer(name('srv4'), '127.0.0.1');
    const v6 = await startServer(name('srv6'), '::1');
    const dual = await startServer(name('dual'), '::');
    procs.push(v4, v6, dual);
    procs.push(
      await startClient(name('a'), '127.0.0.1', v4.port, 3),
      await startClient(name('b'), '127.0.0.1', v4.port, 1),
      await startClient(name('c'), '::1', v6.port, 2),
      await startClient(name('m'), '127.0.0.1', dual.port, 2), // IPv4 client, IPv4-mapped on the server's side
      await startClient(name('n'), '::1', dual.port, 1),
    );
    exporter = await startExporterProcess({ args: ['--probe.interval=1s', `--host.name=${HOST}`] });
    const expected = [
      `${pid(name('a'))} -> ${pid(name('srv4'), v4.port)} :${v4.port} = 3`,
      `${pid(name('b'))} -> ${pid(name('srv4'), v4.port)} :${v4.port} = 1`,
      `${pid(name('c'))} -> ${pid(name('srv6'), v6.port)} :${v6.port} = 2`,
      `${pid(name('m'))} -> ${pid(name('dual'), dual.port)} :${dual.port} = 2`,
      `${pid(name('n'))} -> ${pid(name('dual'), dual.port)} :${dual.port} = 1`,
    ].sort();
    const seen = await waitFor('the edges in /metrics', async () => {
      const text = await exporter!.metrics();
      return ours(text).edges.length >= expected.length ? text : undefined;
    });
    expect(ours(seen)).toEqual({ edges: expected, remotes: [] });

    const info = samplesOf(seen, Metric.ProcessInfo, { node: pid(name('srv6'), v6.port) });
    expect(info).toHaveLength(1);
    expect(info[0].labels).toMatchObject({ kind: 'process', name: name('srv6'), host: HOST, parent: `host:${HOST}` });
    expect(samplesOf(seen, Metric.ProcessPid, { node: pid(name('srv6'), v6.port) })[0].value).toBe(v6.pid);
    expect(samplesOf(seen, Metric.ListenInfo, { node: pid(name('dual'), dual.port) })).toEqual([
      {
        name: Metric.ListenInfo,
        labels: {
          node: pid(name('dual'), dual.port),
          host: HOST,
          address: '::',
          port: String(dual.port),
          family: 'ipv6',
        },
        value: 1,
      },
    ]);
    expect(samplesOf(seen, Metric.SourceUp, { source: 'procfs' })[0].value).toBe(1);
    expect(await promtoolCheck(seen)).toEqual({ code: 0, output: '' });
  });

  it('drops the edges of clients that exit', async () => {
    await Promise.all(procs.filter((p) => /-(a|c|m)$/.test(p.title)).map((p) => p.stop()));
    const text = await waitFor('the edges to go', async () => {
      const t = await exporter!.metrics();
      return ours(t).edges.length === 2 ? t : undefined;
    });
    expect(ours(text).edges.map((e) => e.split(' -> ')[0])).toEqual([pid(name('b')), pid(name('n'))]);
  });
});
