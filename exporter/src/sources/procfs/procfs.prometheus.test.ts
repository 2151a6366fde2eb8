// Time travel at the storage level: a real Prometheus scrapes the exporter every second; after the clients stop,
// an instant query at a time before the stop still shows their edges and one after it does not.
import { Metric } from '@timescope/common';
import { queryInstant, startPrometheus, waitFor, type RunningPrometheus } from '@timescope/common/testing';
import { startExporterProcess, type ExporterProcess } from '../../testutil/exporterProcess';
import { runTag, startClient, startServer, type NetProcess } from '../../testutil/netProcesses';

jest.setTimeout(90_000);

describe('time travel through the edges in a real Prometheus', () => {
  const procs: NetProcess[] = [];
  let exporter: ExporterProcess | undefined;
  let prom: RunningPrometheus | undefined;
  afterAll(async () => {
    await prom?.stop();
    await exporter?.kill();
    await Promise.all(procs.map((p) => p.stop()));
  });

  it('shows the edges at an instant before the clients stopped, and not after', async () => {
    const tag = runTag();
    const server = await startServer(`t${tag}-srv`, '127.0.0.1');
    procs.push(server);
    const clients = [await startClient(`t${tag}-c1`, '127.0.0.1', server.port, 2)];
    clients.push(await startClient(`t${tag}-c2`, '127.0.0.1', server.port, 1));
    procs.push(...clients);
    exporter = await startExporterProcess({ args: ['--probe.interval=1s', '--host.name=tt'] });
    prom = await startPrometheus({ targets: [`127.0.0.1:${exporter.port}`], scrapeInterval: '1s' });

    const query = `${Metric.EdgeConnections}{target="process:tt/t${tag}-srv[${server.port}]"}`;
    const sources = async (time: number): Promise<string[]> =>
      (await queryInstant(prom!, query, time)).map((s) => `${s.metric.source}=${s.value[1]}`).sort();
    const expected = [`process:tt/t${tag}-c1=2`, `process:tt/t${tag}-c2=1`];

    await waitFor('Prometheus to store the edges', async () => (await sources(Date.now() / 1000)).length === 2);
    await new Promise((r) => setTimeout(r, 2000)); // a few more scrapes with the edges present
    const before = Date.now() / 1000;

    await Promise.all(clients.map((c) => c.stop()));
    await waitFor('the edges to go stale', async () => (await sources(Date.now() / 1000)).length === 0);
    await new Promise((r) => setTimeout(r, 1500));
    const after = Date.now() / 1000;

    expect(await sources(before)).toEqual(expected);
    expect(await sources(after)).toEqual([]);
    // The server itself is still there after the stop: only the edges went away.
    const info = await queryInstant(prom, `${Metric.ProcessInfo}{name="t${tag}-srv"}`, after);
    expect(info).toHaveLength(1);
  });
});
