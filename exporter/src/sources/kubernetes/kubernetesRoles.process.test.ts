// The roles as a user runs them: real exporter processes against the fake API server. Node-role exporters (one per
// host, a DaemonSet) open no connection to the API at all; the one cluster-role exporter holds one watch per kind.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@timescope/common/testing';
import { startExporterProcess, type ExporterProcess } from '../../testutil/exporterProcess';
import { KubeApiStandIn, standInResources, type KubeObject } from '@timescope/common/standins';

jest.setTimeout(120_000);

const fixtures = JSON.parse(readFileSync(join(__dirname, 'testdata', 'cluster.json'), 'utf8')) as KubeObject[];

describe('kubernetes roles (exporter processes against a fake API server)', () => {
  const api = new KubeApiStandIn();
  const exporters: ExporterProcess[] = [];
  let dir: string;
  let kubeconfig: string;

  const start = async (role: string, name: string): Promise<ExporterProcess> => {
    const e = await startExporterProcess({
      args: [
        `--kubernetes.role=${role}`,
        `--kubeconfig=${kubeconfig}`,
        '--kubernetes.retry=0.2s',
        '--probe.interval=1s',
        `--events.path=${join(dir, name)}`,
      ],
      readyTimeoutMs: 60_000,
    });
    exporters.push(e);
    return e;
  };

  beforeAll(async () => {
    await api.start();
    for (const o of fixtures) api.apply(o);
    dir = mkdtempSync(join(tmpdir(), 'timescope-kube-roles-'));
    kubeconfig = api.writeKubeconfig(join(dir, 'kubeconfig'));
  });

  afterAll(async () => {
    for (const e of exporters) await e.stop();
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a node-role exporter publishes its host and opens no list or watch', async () => {
    const node = await start('node', 'node-a');
    // two scrapes after a complete probe: the exporter is fully running, its host is published
    await waitFor('host published', async () => (await node.metrics()).includes('timescope_process_info{'), 30_000);
    const text = await node.metrics();
    expect(text).not.toMatch(/timescope_source_up\{[^}]*source="kubernetes"/);
    expect(text).not.toContain('timescope_pod_info{');
    expect(api.requests).toEqual([]);
  });

  it('the cluster-role exporter holds one watch per kind, however many node-role exporters run', async () => {
    const cluster = await start('cluster', 'cluster');
    await waitFor(
      'cluster exporter up',
      async () => /timescope_source_up\{[^}]*source="kubernetes"[^}]*\} 1/.test(await cluster.metrics()),
      60_000,
    );
    const paths = Object.keys(standInResources);
    await waitFor('one watch per kind', async () => paths.every((p) => api.watchCount(p) === 1), 30_000);
    const before = api.requests.length;
    const second = await start('node', 'node-b');
    await waitFor('second node published', async () => (await second.metrics()).includes('timescope_process_info{'));
    expect(paths.map((p) => [p, api.watchCount(p)])).toEqual(paths.map((p) => [p, 1]));
    // nothing the second node-role exporter did reached the API (the cluster exporter's watches stay open)
    expect(api.requests.slice(before)).toEqual([]);
    expect(await cluster.metrics()).toContain('timescope_pod_info{');
  });

  it('RBAC denied: kubernetes goes down with the reason in the log, the host stays served, then it recovers', async () => {
    const cluster = exporters[1];
    const kubeUp = async (): Promise<string | undefined> =>
      /timescope_source_up\{[^}]*source="kubernetes"[^}]*\} (\d)/.exec(await cluster.metrics())?.[1];
    api.forbid('*');
    await waitFor('kubernetes down', async () => (await kubeUp()) === '0', 30_000);
    const text = await cluster.metrics();
    expect(text).toMatch(/timescope_source_up\{[^}]*source="procfs"[^}]*\} 1/);
    expect(text).toContain('timescope_process_info{');
    expect(text).toContain('timescope_pod_info{'); // the last known objects
    expect(cluster.logs()).toMatch(/HTTP 403/);
    api.forbid('*', false);
    await waitFor('kubernetes up again', async () => (await kubeUp()) === '1', 60_000);
  });
});
