// Three hosts (network namespaces on one bridge, each with its own pid namespace and /proc) run a few services and
// their own built exporter; one real Prometheus scrapes them and evaluates provisioning/prometheus/rules/edges.yml.
// The topology of the whole cluster at an instant must come out right from PromQL alone: first without Kubernetes
// (cross-host edges by joining connections with the listeners of the host owning the address), then with a fake API
// server that places those services in pods (pod IPs, containers found through cgroups, a hostNetwork pod), at the
// pod, workload and service levels. Every address is in a 10.213.X.0/24 the test creates; nothing else is contacted.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, queryInstant, startPrometheus, waitFor, type RunningPrometheus } from '@timescope/common/testing';
import { KubeApiStandIn } from '@timescope/common/standins';
import {
  exporterCommand,
  REPO_ROOT,
  startExporterProcess,
  type ExporterProcess,
} from '../../exporter/src/testutil/exporterProcess';
import { cgroupTags, placeInContainer, removeCgroups, type CgroupHierarchy } from './cgroups';
import { clusterObjects, type PodSpec } from './clusterObjects';
import { startHost, type RunningHost } from './hosts';
import { createCluster, destroyCluster, freeSubnet, staleTags, type Cluster } from './netns';
import { preflight } from './preflight';

// generous for a loaded 2-core machine; the run takes well under a minute when the topology is right
jest.setTimeout(120_000);

const tag = String(process.pid);
const hostNames = ['e2e-a', 'e2e-b', 'e2e-c'];

interface Call {
  host: number;
  /** connect to the host's pod address (else its own address) */
  podAddress: boolean;
  port: number;
  count: number;
  /** connect over 127.0.0.1 (a local edge the exporter itself resolves) */
  loopback?: boolean;
}
interface Svc {
  name: string;
  host: number;
  port: number;
  calls: Call[];
}

// front-end (a) -> catalogue (b, by its pod IP) x2 and -> orders (c, by its pod IP);
// catalogue (b) -> db (c, host network, by the host address); orders (c) -> db (c, over loopback).
const services: Svc[] = [
  {
    name: 'front-end',
    host: 0,
    port: 8080,
    calls: [
      { host: 1, podAddress: true, port: 8081, count: 2 },
      { host: 2, podAddress: true, port: 8082, count: 1 },
    ],
  },
  { name: 'catalogue', host: 1, port: 8081, calls: [{ host: 2, podAddress: false, port: 5432, count: 1 }] },
  {
    name: 'orders',
    host: 2,
    port: 8082,
    calls: [{ host: 2, podAddress: false, port: 5432, count: 1, loopback: true }],
  },
  { name: 'db', host: 2, port: 5432, calls: [] },
];

// Clean up what killed runs left (their pid is gone) before checking the machine.
for (const t of staleTags()) destroyCluster(t);
const machine = preflight(tag);
if (machine.ok) {
  for (const t of cgroupTags(machine.cgroups)) if (t !== tag && !pidAlive(t)) removeCgroups(machine.cgroups, t);
} else {
  console.warn(`SKIPPED e2e/multihost: this machine cannot run the multi-host test: ${machine.reason}`);
}

function pidAlive(t: string): boolean {
  try {
    process.kill(Number.parseInt(t, 10), 0);
    return true;
  } catch {
    return false;
  }
}

/** An edge at an instant, as `source -> target :port xN @host` (`host` is the client's: the publisher's). */
type Snapshot = Record<string, string[]>;

(machine.ok ? describe : describe.skip)('a cluster of three hosts scraped by one Prometheus', () => {
  const cgroups = (machine as { cgroups: CgroupHierarchy }).cgroups;
  let cluster: Cluster | undefined;
  const hosts: RunningHost[] = [];
  let prom: RunningPrometheus | undefined;
  let api: KubeApiStandIn | undefined;
  let clusterExporter: ExporterProcess | undefined;
  let dir = '';
  let clusterPort = 0;
  const containerIds = new Map(services.map((s) => [s.name, randomBytes(32).toString('hex')]));
  const containerOf = (name: string): string => (containerIds.get(name) ?? '').slice(0, 12);

  const address = (h: number, pod: boolean): string => (pod ? cluster!.hosts[h].extra[0] : cluster!.hosts[h].address);

  // A synchronous last resort when jest exits without running afterAll (interrupted run).
  const teardownOnExit = (): void => {
    destroyCluster(tag);
    removeCgroups(cgroups, tag);
  };

  beforeAll(async () => {
    process.once('exit', teardownOnExit);
    dir = mkdtempSync(join(tmpdir(), 'timescope-multihost-'));
    if (!existsSync(resolve(REPO_ROOT, 'exporter/dist/cli.js')) || !existsSync(resolve(REPO_ROOT, 'common/dist'))) {
      for (const p of ['common/tsconfig.build.json', 'exporter/tsconfig.build.json']) {
        execFileSync('npx', ['tsc', '-p', p], { cwd: REPO_ROOT, stdio: 'pipe' });
      }
    }
    destroyCluster(tag);
    cluster = createCluster(tag, freeSubnet(process.pid % 250), hostNames);
    const exporter = exporterCommand(true);
    for (const [i, h] of cluster.hosts.entries()) {
      const own = services
        .filter((s) => s.host === i)
        .map((s) => ({
          name: s.name,
          port: s.port,
          targets: s.calls.map(
            (c) => `${c.loopback ? '127.0.0.1' : address(c.host, c.podAddress)}:${c.port}:${c.count}`,
          ),
        }));
      const args = [...exporter, `--host.name=${h.name}`, '--web.listen-address=0.0.0.0:9469', '--probe.interval=1s'];
      hosts.push(startHost(h, own, args, REPO_ROOT));
    }

    // Each service runs in a containerd-style container cgroup, as the kubelet would start it.
    await waitFor(
      'the services to start',
      async () => {
        for (const s of services) {
          const pid = hosts[s.host].pidsByName().get(s.name);
          if (pid === undefined) return false;
          placeInContainer(cgroups, tag, containerIds.get(s.name) ?? '', pid);
        }
        return true;
      },
      60_000,
    );

    clusterPort = await freePort();
    prom = await startPrometheus({
      targets: [...cluster.hosts.map((h) => `${h.address}:9469`), `127.0.0.1:${clusterPort}`],
      scrapeInterval: '1s',
      extraConfig: `rule_files: ['${resolve(REPO_ROOT, 'provisioning/prometheus/rules/edges.yml')}']`,
    });
  }, 150_000);

  afterAll(async () => {
    await clusterExporter?.stop();
    for (const h of hosts) await h.stop();
    await prom?.stop();
    await api?.stop();
    destroyCluster(tag);
    await waitFor('the cgroups to be removed', async () => removeCgroups(cgroups, tag), 20_000).catch((e) =>
      console.warn(String(e)),
    );
    process.removeListener('exit', teardownOnExit);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const edgeLine = (m: Record<string, string>, v: string): string =>
    `${m.source} -> ${m.target} :${m.port} x${v} @${m.host}`;

  /** Everything the test checks about the cluster at instant `at` (a sample in the last 2 scrapes counts). */
  async function snapshot(at: number): Promise<Snapshot> {
    const q = async (query: string, line: (m: Record<string, string>, v: string) => string): Promise<string[]> =>
      (await queryInstant(prom!, query, at)).map((s) => line(s.metric, s.value[1])).sort();
    const edges = (kind: string): Promise<string[]> =>
      q(`last_over_time(timescope_edge_connections{kind="${kind}"}[2s]) > 0`, edgeLine);
    const names = services.map((s) => s.name).join('|');
    return {
      hosts: await q('group by (host) (last_over_time(timescope_host_info[2s]))', (m) => m.host),
      processes: await q(`last_over_time(timescope_process_info{name=~"${names}"}[2s])`, (m) => m.node),
      process: await edges('process'),
      pod: await edges('pod'),
      workload: await edges('workload'),
      service: await edges('service'),
      pods: await q('last_over_time(timescope_pod_info[2s])', (m) => `${m.node}@${m.host}`),
    };
  }

  /** Polls until the snapshot at one instant (3 s back: its scrapes and rule evaluations are in) equals `want`. */
  async function expectTopology(want: Snapshot, logs: () => string): Promise<number> {
    let at = 0;
    let got: Snapshot = {};
    try {
      return await waitFor(
        'the cluster topology',
        async () => {
          at = Math.floor(Date.now() / 1000) - 3;
          got = await snapshot(at);
          return JSON.stringify(got) === JSON.stringify(want) && at;
        },
        90_000,
      );
    } catch (e) {
      console.error(`${String(e)} (last instant ${at})\n${logs()}`);
      expect(got).toEqual(want);
      throw e;
    }
  }

  const proc = (name: string): string => {
    const s = services.find((x) => x.name === name)!;
    return `process:${hostNames[s.host]}/${name}[${s.port}]@${containerOf(name)}`;
  };
  const processEdges = [
    `${proc('front-end')} -> ${proc('catalogue')} :8081 x2 @e2e-a`,
    `${proc('front-end')} -> ${proc('orders')} :8082 x1 @e2e-a`,
    `${proc('catalogue')} -> ${proc('db')} :5432 x1 @e2e-b`,
    `${proc('orders')} -> ${proc('db')} :5432 x1 @e2e-c`,
  ].sort();
  const processes = (): string[] => services.map((s) => proc(s.name)).sort();

  it('without Kubernetes: cross-host process edges join connections with the remote hosts’ listeners', async () => {
    const want: Snapshot = {
      hosts: hostNames,
      processes: processes(),
      process: processEdges,
      pod: [],
      workload: [],
      service: [],
      pods: [],
    };
    const at = await expectTopology(want, () => hosts.map((h) => `${h.host.name}: ${h.logs()}`).join('\n---\n'));
    // the same instant asked again gives the same topology (time travel)
    expect(await snapshot(at)).toEqual(want);
    // the cross-host edges come from the recording rule, the local one from the exporter of e2e-c
    const byRule = await queryInstant(
      prom!,
      'count by (rule) (last_over_time(timescope_edge_connections{kind="process"}[2s]))',
      at,
    );
    expect(Object.fromEntries(byRule.map((s) => [s.metric.rule ?? '', s.value[1]]))).toEqual({ '': '1', edges: '3' });
  });

  it('with Kubernetes: pod, workload and service edges from pod IPs, containers and a hostNetwork pod', async () => {
    api = new KubeApiStandIn();
    await api.start();
    const pods: PodSpec[] = services.map((s, i) => ({
      workload: s.name,
      kind: s.name === 'db' ? 'StatefulSet' : 'Deployment',
      node: hostNames[s.host],
      podIp: s.name === 'db' ? address(s.host, false) : address(s.host, true),
      hostNetwork: s.name === 'db',
      containerId: containerIds.get(s.name) ?? '',
      port: s.port,
      // labels only (no kube-proxy here, nothing connects to them), inside the test's own subnet
      clusterIp: `${cluster!.subnet}.${100 + i}`,
    }));
    const nodes = cluster!.hosts.map((h) => ({ name: h.name, address: h.address }));
    for (const o of clusterObjects(nodes, pods)) api.apply(o);
    clusterExporter = await startExporterProcess({
      built: true,
      port: clusterPort,
      readyTimeoutMs: 60_000,
      args: [
        '--host.name=cluster',
        '--no-collector.procfs',
        '--kubernetes.role=cluster',
        `--kubeconfig=${api.writeKubeconfig(join(dir, 'kubeconfig'))}`,
      ],
    });

    const pod = (name: string): string => (name === 'db' ? 'pod:shop/db-0' : `pod:shop/${name}-6f7c9d-x2x1q`);
    const w = (name: string): string => `workload:shop/${name === 'db' ? 'StatefulSet' : 'Deployment'}/${name}`;
    const s = (name: string): string => `service:shop/${name}`;
    const level = (id: (name: string) => string): string[] =>
      [
        `${id('front-end')} -> ${id('catalogue')} :8081 x2 @e2e-a`,
        `${id('front-end')} -> ${id('orders')} :8082 x1 @e2e-a`,
        `${id('catalogue')} -> ${id('db')} :5432 x1 @e2e-b`,
        `${id('orders')} -> ${id('db')} :5432 x1 @e2e-c`,
      ].sort();
    await expectTopology(
      {
        hosts: hostNames,
        processes: processes(),
        process: processEdges,
        pod: level(pod),
        workload: level(w),
        service: level(s),
        // pods sit on the hosts the API server says
        pods: services.map((x) => `${pod(x.name)}@${hostNames[x.host]}`).sort(),
      },
      () => `cluster exporter: ${clusterExporter?.logs()}`,
    );
  });
});
