// The Kubernetes source on a fixture cluster of 5,000 pods, 500 services and 50 nodes served by the fake API server
// over HTTP (real v1 shapes): informer memory (heap delta after gc), time to list and sync every kind, time to
// resolve 50,000 connections to pods, workloads and services, and the series and /metrics bytes per 100 pods beside
// kube-state-metrics' ~4 KB of /metrics per pod. Nothing is asserted.
//
// Resolution itself is PromQL (the recording rules in provisioning/prometheus/rules/edges.yml); what is timed here is
// the same joins done on the cluster model in process (container id -> pod, pod IP -> pod, ClusterIP -> service,
// pod -> workload and service): the lookups that back the rules, not Prometheus' evaluation of them.
//
//   node --expose-gc -r ./scripts/register-swc.js bench/kubernetes.bench.ts
//   BENCH_KUBE_PODS=5000 BENCH_KUBE_SERVICES=500 BENCH_KUBE_NODES=50 BENCH_KUBE_CONNECTIONS=50000 (the defaults)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger, MetricFamily } from '../exporter/src/runtime/source';
import { renderExpositionBuffer } from '../exporter/src/publish/exposition';
import { buildClusterModel, type ClusterModel } from '../exporter/src/sources/kubernetes/clusterModel';
import { clusterSeries } from '../exporter/src/sources/kubernetes/clusterSeries';
import { ClusterInformers } from '../exporter/src/sources/kubernetes/informers';
import { loadKubeConfig } from '../exporter/src/sources/kubernetes/kubeConfig';
import { KubeApiStandIn, type KubeObject } from '@timescope/common/standins';
import { gc, median } from './stats';

const env = (name: string, dflt: number): number => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : dflt;
};
const PODS = env('BENCH_KUBE_PODS', 5000);
const SERVICES = env('BENCH_KUBE_SERVICES', 500);
const NODES = env('BENCH_KUBE_NODES', 50);
const CONNECTIONS = env('BENCH_KUBE_CONNECTIONS', 50_000);
const NAMESPACES = 10;
/** /work/shared/reference.md: kube-state-metrics publishes about 4 KB of /metrics per pod */
const KSM_BYTES_PER_POD = 4096;

const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

function heapAfterGc(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

// ---- the fixture cluster, in the shapes the API server sends ------------------------------------------------

function fixture(): KubeObject[] {
  const objs: KubeObject[] = [];
  const created = '2026-11-20T08:00:00Z';
  for (let n = 0; n < NAMESPACES; n++)
    objs.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns-${n}` } });
  for (let n = 0; n < NODES; n++) {
    objs.push({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: `node-${n}`, labels: { 'kubernetes.io/hostname': `node-${n}` }, creationTimestamp: created },
      spec: { podCIDR: `10.244.${n}.0/24` },
      status: {
        addresses: [
          { type: 'InternalIP', address: `192.168.${Math.floor(n / 250)}.${(n % 250) + 1}` },
          { type: 'Hostname', address: `node-${n}` },
        ],
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
        nodeInfo: { kubeletVersion: 'v1.31.2', containerRuntimeVersion: 'containerd://1.7.22', osImage: 'Debian' },
      },
    });
  }
  const podsPerService = Math.ceil(PODS / SERVICES);
  let pod = 0;
  for (let s = 0; s < SERVICES; s++) {
    const ns = `ns-${s % NAMESPACES}`;
    const app = `svc-${s}`;
    const rs = `${app}-7d9f${hex(s, 4)}`;
    const labels = { app, 'pod-template-hash': `7d9f${hex(s, 4)}` };
    const image = `registry.example.org/shop/${app}:1.${s % 10}.0`;
    objs.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: app, namespace: ns, generation: 1, labels: { app }, creationTimestamp: created },
      spec: {
        replicas: podsPerService,
        selector: { matchLabels: { app } },
        template: { metadata: { labels: { app } }, spec: { containers: [{ name: app, image }] } },
      },
      status: { observedGeneration: 1, replicas: podsPerService, updatedReplicas: podsPerService },
    });
    objs.push({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: rs,
        namespace: ns,
        labels,
        annotations: { 'deployment.kubernetes.io/revision': '1' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: app, uid: `d-${s}`, controller: true }],
      },
      spec: { replicas: podsPerService, selector: { matchLabels: labels } },
    });
    objs.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: app, namespace: ns, labels: { app } },
      spec: {
        type: 'ClusterIP',
        clusterIP: `10.96.${Math.floor(s / 250)}.${(s % 250) + 1}`,
        ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
        selector: { app },
      },
    });
    const endpoints: object[] = [];
    for (let r = 0; r < podsPerService && pod < PODS; r++, pod++) {
      const node = pod % NODES;
      const name = `${rs}-${hex(pod, 5)}`;
      const ip = `10.244.${node}.${Math.floor(pod / NODES) + 2}`;
      const containerId = `containerd://${hex(pod, 12)}${'a'.repeat(52)}`;
      objs.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name,
          namespace: ns,
          labels,
          creationTimestamp: created,
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs, uid: `rs-${s}`, controller: true }],
        },
        spec: {
          nodeName: `node-${node}`,
          containers: [
            {
              name: app,
              image,
              ports: [{ containerPort: 8080, protocol: 'TCP' }],
              resources: { requests: { cpu: '100m', memory: '128Mi' } },
            },
          ],
          serviceAccountName: 'default',
        },
        status: {
          phase: 'Running',
          podIP: ip,
          podIPs: [{ ip }],
          hostIP: `192.168.${Math.floor(node / 250)}.${(node % 250) + 1}`,
          startTime: created,
          conditions: [
            { type: 'Ready', status: 'True' },
            { type: 'ContainersReady', status: 'True' },
          ],
          containerStatuses: [
            {
              name: app,
              image,
              imageID: `${image}@sha256:${'b'.repeat(64)}`,
              containerID: containerId,
              ready: true,
              restartCount: 0,
              started: true,
              state: { running: { startedAt: created } },
            },
          ],
        },
      });
      endpoints.push({
        addresses: [ip],
        conditions: { ready: true, serving: true, terminating: false },
        nodeName: `node-${node}`,
        targetRef: { kind: 'Pod', name, namespace: ns, uid: `uid-${ns}-${name}` },
      });
    }
    objs.push({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `${app}-abcde`, namespace: ns, labels: { 'kubernetes.io/service-name': app } },
      addressType: 'IPv4',
      endpoints,
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    });
  }
  return objs;
}

// ---- resolution: the rules' joins on the model --------------------------------------------------------------

interface Connection {
  host: string;
  containerId: string;
  remoteAddress: string;
}

interface Resolved {
  pods: number;
  services: number;
  workloads: number;
  unresolved: number;
}

/** The lookup tables the rules build (timescope:process_pod:info, pod_ip:pod, cluster_ip:service, ...). */
function lookups(m: ClusterModel): (c: Connection) => 0 | 1 | 2 | 3 {
  const podByContainer = new Map<string, string>();
  const podByIp = new Map<string, string>();
  const workloadOf = new Map<string, string>();
  for (const p of m.pods) {
    for (const c of p.containers) podByContainer.set(`${p.node}|${c.id}`, p.id);
    if (p.ip && !p.hostNetwork && !podByIp.has(p.ip)) podByIp.set(p.ip, p.id);
    if (p.workload) workloadOf.set(p.id, p.workload);
  }
  const serviceByIp = new Map<string, string>();
  for (const s of m.services) if (s.clusterIp && !serviceByIp.has(s.clusterIp)) serviceByIp.set(s.clusterIp, s.id);
  const serviceOf = new Map<string, string>();
  for (const b of m.backends) {
    const cur = serviceOf.get(b.pod);
    if (cur === undefined || b.service < cur) serviceOf.set(b.pod, b.service);
  }
  // 0: unresolved; 1: pod edge (and its workload and service roll-ups); 2: service edge through a ClusterIP
  return (c) => {
    const source = podByContainer.get(`${c.host}|${c.containerId}`);
    if (!source) return 0;
    const target = podByIp.get(c.remoteAddress);
    if (target) return workloadOf.has(source) && workloadOf.has(target) && serviceOf.has(target) ? 3 : 1;
    return serviceByIp.has(c.remoteAddress) && serviceOf.has(source) ? 2 : 0;
  };
}

function connections(m: ClusterModel, n: number): Connection[] {
  const out: Connection[] = [];
  const pods = m.pods.filter((p) => p.containers.length > 0);
  for (let i = 0; i < n; i++) {
    const from = pods[(i * 7919) % pods.length];
    const to = pods[(i * 104_729 + 13) % pods.length];
    const svc = m.services[(i * 31) % m.services.length];
    // 70% to a pod IP, 25% to a ClusterIP, 5% to somewhere outside the cluster
    const r = i % 20;
    out.push({
      host: from.node,
      containerId: from.containers[0].id,
      remoteAddress: r < 14 ? to.ip : r < 19 ? svc.clusterIp : `203.0.113.${i % 250}`,
    });
  }
  return out;
}

function resolveAll(resolve: (c: Connection) => number, conns: readonly Connection[]): Resolved {
  const r: Resolved = { pods: 0, services: 0, workloads: 0, unresolved: 0 };
  for (const c of conns) {
    const k = resolve(c);
    if (k === 0) r.unresolved++;
    else if (k === 2) r.services++;
    else {
      r.pods++;
      if (k === 3) r.workloads++;
    }
  }
  return r;
}

function timed<T>(runs: number, f: () => T): { ms: number; value: T } {
  let value = f(); // warm-up (JIT)
  const walls: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    value = f();
    walls.push(performance.now() - t0);
  }
  return { ms: median(walls), value };
}

// ---- the run ------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const api = new KubeApiStandIn();
  const dir = mkdtempSync(join(tmpdir(), 'timescope-kube-bench-'));
  let informers: ClusterInformers | undefined;
  try {
    await api.start();
    const objs = fixture();
    for (const o of objs) api.apply(o);
    const pods = objs.filter((o) => o.kind === 'Pod').length;
    const services = objs.filter((o) => o.kind === 'Service').length;
    const listBytes = Buffer.byteLength(JSON.stringify(objs));
    console.log(
      `kubernetes source on a fixture cluster (fake API server over HTTP; nothing asserted)\n` +
        `  cluster: ${pods} pods, ${services} services, ${NODES} nodes, ${NAMESPACES} namespaces, ` +
        `${objs.length} objects in all (${(listBytes / 2 ** 20).toFixed(1)} MiB of JSON)`,
    );
    const kc = loadKubeConfig(api.writeKubeconfig(join(dir, 'kubeconfig')));

    const heap0 = heapAfterGc();
    const t0 = performance.now();
    const inf = new ClusterInformers(kc, { logger: quiet, retry: 1, maxRetry: 30, onChange: () => undefined });
    informers = inf;
    await inf.start();
    while (!inf.healthy()) await new Promise((r) => setTimeout(r, 5));
    const syncMs = performance.now() - t0;
    const heap1 = heapAfterGc();
    const informerMB = (heap1 - heap0) / 2 ** 20;
    console.log(
      `  list + sync of all 11 kinds: ${syncMs.toFixed(0)} ms (the fake server's JSON encoding, in this process, ` +
        `included); informer memory: +${informerMB.toFixed(1)} MiB heap ` +
        `after gc (${((heap1 - heap0) / pods).toFixed(0)} B per pod, every kind included)`,
    );

    const model = timed(5, () => buildClusterModel(inf));
    const conns = connections(model.value, CONNECTIONS);
    const resolve = timed(5, () => lookups(model.value));
    const resolved = timed(7, () => resolveAll(resolve.value, conns));
    const r = resolved.value;
    console.log(
      `  cluster model rebuild (after a change): ${model.ms.toFixed(1)} ms; lookup tables: ${resolve.ms.toFixed(1)} ms\n` +
        `  resolve ${CONNECTIONS.toLocaleString('en')} connections (in-process joins that back the PromQL rules): ` +
        `${resolved.ms.toFixed(1)} ms (${((resolved.ms * 1000) / CONNECTIONS).toFixed(2)} µs each); ` +
        `${r.pods} to pods (${r.workloads} also to workloads and services), ${r.services} to services, ` +
        `${r.unresolved} unresolved (outside the cluster)`,
    );

    const families: MetricFamily[] = clusterSeries(model.value);
    const rendered = timed(5, () => renderExpositionBuffer(families));
    const series = families.reduce((n, f) => n + f.samples.length, 0);
    const bytes = rendered.value.length;
    const podFamilies = families.filter(
      (f) => f.name === 'timescope_pod_info' || f.name === 'timescope_pod_container_info',
    );
    const podBytes = renderExpositionBuffer(podFamilies).length;
    const per100 = (x: number): string => ((x / pods) * 100).toFixed(0);
    console.log(
      `  /metrics of the cluster exporter: ${series} series, ${(bytes / 2 ** 20).toFixed(2)} MiB, rendered in ` +
        `${rendered.ms.toFixed(1)} ms\n` +
        `  per 100 pods: ${per100(series)} series, ${(((bytes / pods) * 100) / 1024).toFixed(1)} KiB in all ` +
        `(${(((podBytes / pods) * 100) / 1024).toFixed(1)} KiB of it pod and pod-container series)\n` +
        `  per pod: ${(bytes / pods).toFixed(0)} B in all; kube-state-metrics ~${KSM_BYTES_PER_POD} B: ` +
        `${(bytes / pods / KSM_BYTES_PER_POD).toFixed(2)}x of it (${(KSM_BYTES_PER_POD / (bytes / pods)).toFixed(1)}x ` +
        `smaller); pod series alone ${(podBytes / pods).toFixed(0)} B, ${(podBytes / pods / KSM_BYTES_PER_POD).toFixed(2)}x`,
    );
  } finally {
    await informers?.stop();
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
