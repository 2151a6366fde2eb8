// An exporter that is not root cannot read other users' open files: it must say so in its self-metrics and keep
// serving what it can read (its own user's processes and their edges).
import { Metric } from '@timescope/common';
import { waitFor } from '@timescope/common/testing';
import { REPO_ROOT, startExporterProcess, type ExporterProcess } from '../../testutil/exporterProcess';
import { samplesOf } from '../../testutil/exposition';
import { runTag, startClient, startServer, type NetProcess } from '../../testutil/netProcesses';
import { makeSearchable } from '../../testutil/searchable';
import { loadSockDiag } from './sockDiag';

jest.setTimeout(60_000);

// As root, run everything as `nobody`; as another user, that user already is not root.
const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

describe('procfs source without root', () => {
  const procs: NetProcess[] = [];
  let exporter: ExporterProcess | undefined;
  // nobody must reach the checkout's files, wherever it was cloned
  const restore = process.getuid?.() === 0 ? makeSearchable(REPO_ROOT) : () => undefined;
  afterAll(async () => {
    await exporter?.kill();
    await Promise.all(procs.map((p) => p.stop()));
    restore();
  });

  it("counts permission errors, stays up and still shows its own user's edges", async () => {
    const tag = runTag();
    const rootServer = await startServer(`t${tag}-rsrv`, '127.0.0.1'); // this test's user (root in CI)
    procs.push(rootServer);
    const server = await startServer(`t${tag}-usrv`, '127.0.0.1', asUser);
    procs.push(server);
    procs.push(await startClient(`t${tag}-ucli`, '127.0.0.1', server.port, 2, asUser));
    exporter = await startExporterProcess({ args: ['--probe.interval=1s', '--host.name=nr'], ...asUser });

    const text = await waitFor("the user's edge", async () => {
      const t = await exporter!.metrics();
      return samplesOf(t, Metric.EdgeConnections, { source: `process:nr/t${tag}-ucli` }).length > 0 ? t : undefined;
    });
    expect(samplesOf(text, Metric.EdgeConnections, { source: `process:nr/t${tag}-ucli` })).toMatchObject([
      { labels: { target: `process:nr/t${tag}-usrv[${server.port}]`, port: String(server.port) }, value: 2 },
    ]);
    expect(samplesOf(text, Metric.SourceUp, { source: 'procfs' })[0].value).toBe(1);
    const permission = samplesOf(text, Metric.ProbeErrorsTotal, { source: 'procfs', kind: 'permission' })[0];
    if (process.getuid?.() === 0) {
      expect(permission.value).toBeGreaterThan(0);
      // root's server is listed as a process, but its listening socket cannot be attributed
      expect(samplesOf(text, Metric.ProcessInfo, { name: `t${tag}-rsrv` })).toHaveLength(1);
      expect(samplesOf(text, Metric.ListenInfo, { port: String(rootServer.port) })).toEqual([]);
    }
    expect(exporter.logs()).toMatch(/cannot be read \(permission/);
    // its own namespace through netlink (entered through its own ns link), when the addon is built
    if (loadSockDiag().diag)
      expect(exporter.logs()).toMatch(/reads the socket tables" netlink_namespaces=1 text_namespaces=0\n/);
  });
});
