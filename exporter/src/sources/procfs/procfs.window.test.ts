// "Seen during the scrape interval" with real processes: a client that connects for 2 s between two scrapes is in
// the next scrape (the exporter's /metrics, and a real Prometheus), though no scrape happened while it was connected.
import { Metric } from '@timescope/common';
import { queryInstant, startPrometheus, waitFor, type RunningPrometheus } from '@timescope/common/testing';
import { startExporterProcess, type ExporterProcess } from '../../testutil/exporterProcess';
import { samplesOf } from '../../testutil/exposition';
import { runTag, startClient, startServer, type NetProcess } from '../../testutil/netProcesses';

jest.setTimeout(90_000);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('seen during the scrape interval', () => {
  const procs: NetProcess[] = [];
  let exporter: ExporterProcess | undefined;
  let prom: RunningPrometheus | undefined;
  afterEach(async () => {
    await prom?.stop();
    prom = undefined;
    await exporter?.kill();
    exporter = undefined;
    await Promise.all(procs.splice(0).map((p) => p.stop()));
  });

  it('publishes a connection that lived 2 s between two scrapes in the next scrape, then drops it', async () => {
    const tag = runTag();
    const server = await startServer(`t${tag}-srv`, '127.0.0.1');
    procs.push(server);
    exporter = await startExporterProcess({ args: ['--probe.interval=1s', '--host.name=sw'] });
    const source = `process:sw/t${tag}-brief`;
    await waitFor(
      'the server',
      async () => samplesOf(await exporter!.metrics(), Metric.ProcessInfo, { name: `t${tag}-srv` }).length > 0,
    );
    expect(samplesOf(await exporter.metrics(), Metric.EdgeConnections, { source })).toEqual([]);

    const client = await startClient(`t${tag}-brief`, '127.0.0.1', server.port, 3);
    procs.push(client);
    await sleep(2000);
    await client.stop();
    // two more probes without the client: a view of the last probe alone would not have it
    await sleep(2500);
    const text = await exporter.metrics();
    expect(samplesOf(text, Metric.EdgeConnections, { source })).toMatchObject([
      { labels: { target: `process:sw/t${tag}-srv[${server.port}]` }, value: 3 },
    ]);
    expect(samplesOf(text, Metric.ProcessInfo, { node: source })).toHaveLength(1);
    // the next scrape's window began after the client was gone
    await sleep(1500);
    const later = await exporter.metrics();
    expect(samplesOf(later, Metric.EdgeConnections, { source })).toEqual([]);
    expect(samplesOf(later, Metric.ProcessInfo, { node: source })).toEqual([]);
  });

  it('stores such a connection in Prometheus, scraping every 5 s', async () => {
    const tag = runTag();
    const server = await startServer(`t${tag}-srv`, '127.0.0.1');
    procs.push(server);
    exporter = await startExporterProcess({ args: ['--probe.interval=1s', '--host.name=sp'] });
    prom = await startPrometheus({ targets: [`127.0.0.1:${exporter.port}`], scrapeInterval: '5s' });
    const up = `${Metric.SourceUp}{source="procfs"}`;
    // the scrapes' phase: the time of the last one stored
    const lastScrape = await waitFor('two scrapes', async () => {
      const s = await queryInstant(prom!, `timestamp(${up})`);
      const r = await queryInstant(prom!, `count_over_time(${up}[1m])`);
      return s.length > 0 && r.length > 0 && Number(r[0].value[1]) >= 2 ? Number(s[0].value[1]) : undefined;
    });
    // just after a scrape, start a client (about 1 s to start node) that stays connected 2 s and is gone before the
    // next scrape
    let next = lastScrape + 5;
    while (next - Date.now() / 1000 < 4.85) next += 5;
    await sleep((next - 4.85 - Date.now() / 1000) * 1000);
    const client = await startClient(`t${tag}-brief`, '127.0.0.1', server.port, 2);
    procs.push(client);
    await sleep(2000);
    await client.stop();
    const gone = Date.now() / 1000;
    expect(next - gone).toBeGreaterThan(0.2);

    const query = `${Metric.EdgeConnections}{source="process:sp/t${tag}-brief"}`;
    const stored = await waitFor('the edge in Prometheus', async () => {
      const s = await queryInstant(prom!, `max_over_time(${query}[30s])`);
      return s.length > 0 ? s : undefined;
    });
    expect(stored.map((s) => s.value[1])).toEqual(['2']);
    // one sample, taken by the scrape after the client was gone
    const times = await queryInstant(prom, `timestamp(${query})`, next + 1);
    expect(Number(times[0].value[1])).toBeGreaterThan(gone);
  });
});
