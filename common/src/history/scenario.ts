// The deterministic 24-hour history every time-travel test, the demo and the panel's browser tests share:
// three hosts (one appears at +6 h and vanishes at +18 h), processes in containers in pods, workloads, services,
// services appearing and vanishing, edges changing (one flaps, one moves to a new pod after a deploy), cross-host
// connections, and five deploys at known instants. Everything is relative to `endSec`, so the history always ends
// "now" (or wherever the caller puts it).
import { DeployMetric, KubernetesMetric, Metric, nodeId } from '../metrics';
import type { History, HistoryDeploy, HistorySeries } from './types';

export interface ScenarioOptions {
  /** last sample instant (s since the epoch); default: now. Aligned down to the resolution. */
  endSec?: number;
  /** sample spacing (default 15 s, the contract's default scrape interval) */
  resolutionSec?: number;
}

const H = 3600;
const DAY = 24 * H;

interface Span {
  from: number;
  to: number;
}

/** Offsets (s after the start) of the scenario's events, named for what the tests check. */
export const SCENARIO_OFFSETS = {
  oddProcessStart: 2 * H,
  cartsToPostgresStart: 3 * H,
  cartsDeploy: 4 * H,
  cartsOldPodGone: 4 * H + 60,
  node3Up: 6 * H,
  shippingDeploy: 8 * H,
  catalogueFlapStart: 10 * H,
  catalogueFlapEnd: 10 * H + 30 * 60,
  catalogueToPostgresEnd: 12 * H,
  paymentDeploy: 15 * H,
  paymentGone: 16 * H,
  node3Down: 18 * H,
  frontendDeploy: 20 * H,
  oddProcessEnd: 22 * H,
  ordersDeploy: 23 * H + 30 * 60,
} as const;

/** The name of a process whose key holds a quote, a backslash and braces (PromQL escaping must survive it). */
export const ODD_PROCESS_NAME = 'odd"proc\\{1}';

class Builder {
  readonly series: HistorySeries[] = [];
  constructor(
    readonly start: number,
    readonly end: number,
  ) {}

  add(metric: string, labels: Record<string, string>, span: Span, value = 1): void {
    this.series.push({ metric, labels, fromSec: this.start + span.from, toSec: this.start + span.to, value });
  }
}

const ALL: Span = { from: 0, to: DAY + 1 };

/** Deterministic 12-hex container id from a name (FNV-1a, twice). */
function containerId(name: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < name.length; i++) {
    a = Math.imul(a ^ name.charCodeAt(i), 0x01000193) >>> 0;
    b = Math.imul(b ^ name.charCodeAt(i), 0x811c9dc5) >>> 0;
  }
  return (a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0')).slice(0, 12);
}

interface HostDef {
  name: string;
  address: string;
  span: Span;
}

const HOSTS: HostDef[] = [
  { name: 'node-1', address: '10.0.0.1', span: ALL },
  { name: 'node-2', address: '10.0.0.2', span: ALL },
  { name: 'node-3', address: '10.0.0.3', span: { from: SCENARIO_OFFSETS.node3Up, to: SCENARIO_OFFSETS.node3Down } },
];

interface PodDef {
  pod: string;
  workload: string;
  span: Span;
}

interface ProcDef {
  host: string;
  name: string;
  port?: number;
  span: Span;
  /** the pods (in the shop namespace) this process group runs in, one after the other */
  pods?: PodDef[];
}

const O = SCENARIO_OFFSETS;

const PROCS: ProcDef[] = [
  {
    host: 'node-1',
    name: 'frontend',
    port: 8080,
    span: ALL,
    pods: [{ pod: 'frontend-6d8f-a1b2', workload: 'frontend', span: ALL }],
  },
  {
    host: 'node-1',
    name: 'catalogue',
    port: 8081,
    span: ALL,
    pods: [{ pod: 'catalogue-5c7b-c3d4', workload: 'catalogue', span: ALL }],
  },
  {
    host: 'node-1',
    name: 'carts',
    port: 8082,
    span: ALL,
    pods: [
      { pod: 'carts-7d9f-x2x1', workload: 'carts', span: { from: 0, to: O.cartsOldPodGone } },
      { pod: 'carts-84b2-k9k9', workload: 'carts', span: { from: O.cartsDeploy, to: ALL.to } },
    ],
  },
  { host: 'node-1', name: 'postgres', port: 5432, span: ALL },
  { host: 'node-1', name: 'loadgen', span: ALL },
  {
    host: 'node-2',
    name: 'orders',
    port: 8083,
    span: ALL,
    pods: [{ pod: 'orders-66c4-e5f6', workload: 'orders', span: ALL }],
  },
  {
    host: 'node-2',
    name: 'payment',
    port: 8084,
    span: { from: 0, to: O.paymentGone },
    pods: [{ pod: 'payment-59aa-g7h8', workload: 'payment', span: { from: 0, to: O.paymentGone } }],
  },
  { host: 'node-2', name: ODD_PROCESS_NAME, port: 9000, span: { from: O.oddProcessStart, to: O.oddProcessEnd } },
  {
    host: 'node-3',
    name: 'shipping',
    port: 8085,
    span: { from: O.shippingDeploy, to: O.node3Down },
    pods: [{ pod: 'shipping-4f2e-i9j0', workload: 'shipping', span: { from: O.shippingDeploy, to: O.node3Down } }],
  },
  { host: 'node-3', name: 'queue-master', port: 8086, span: { from: O.node3Up, to: O.node3Down } },
];

const procKey = (p: ProcDef): string => (p.port === undefined ? p.name : `${p.name}[${p.port}]`);
const procId = (p: ProcDef): string => nodeId.process(p.host, procKey(p));
const proc = (name: string): ProcDef => {
  const p = PROCS.find((x) => x.name === name);
  if (!p) throw new Error(`no process ${name}`);
  return p;
};

const NS = 'shop';
const WORKLOADS: { name: string; span: Span }[] = [
  { name: 'frontend', span: ALL },
  { name: 'catalogue', span: ALL },
  { name: 'carts', span: ALL },
  { name: 'orders', span: ALL },
  { name: 'payment', span: { from: 0, to: O.paymentGone } },
  { name: 'shipping', span: { from: O.shippingDeploy, to: O.node3Down } },
];

/** Logical connections between process groups; each becomes a process edge or a cross-host remote connection. */
const CONNECTIONS: { from: string; to: string; spans: Span[] }[] = [
  { from: 'loadgen', to: 'frontend', spans: [ALL] },
  {
    from: 'frontend',
    to: 'catalogue',
    spans: [
      { from: 0, to: O.catalogueFlapStart },
      { from: O.catalogueFlapEnd, to: ALL.to },
    ],
  },
  { from: 'frontend', to: 'carts', spans: [ALL] },
  { from: 'carts', to: 'postgres', spans: [{ from: O.cartsToPostgresStart, to: ALL.to }] },
  { from: 'catalogue', to: 'postgres', spans: [{ from: 0, to: O.catalogueToPostgresEnd }] },
  { from: 'frontend', to: 'orders', spans: [ALL] },
  { from: 'orders', to: 'payment', spans: [{ from: 0, to: O.paymentGone }] },
  { from: ODD_PROCESS_NAME, to: 'orders', spans: [{ from: O.oddProcessStart, to: O.oddProcessEnd }] },
  { from: 'shipping', to: 'queue-master', spans: [{ from: O.shippingDeploy, to: O.node3Down }] },
  { from: 'shipping', to: 'orders', spans: [{ from: O.shippingDeploy, to: O.node3Down }] },
];

/** A client without an exporter, seen only as inbound connections to frontend. */
const EXTERNAL_CLIENT = { address: '203.0.113.7', to: 'frontend', span: { from: 5 * H, to: 9 * H } };

function addHosts(b: Builder): void {
  for (const h of HOSTS) {
    const id = nodeId.host(h.name);
    b.add(
      Metric.HostInfo,
      { node: id, kind: 'host', name: h.name, host: h.name, namespace: '', parent: '', kernel: '6.1.0', os: 'linux' },
      h.span,
    );
    b.add(Metric.HostAddressInfo, { host: h.name, address: h.address }, h.span);
    b.add(Metric.ExporterBuildInfo, { version: '0.1.0', host: h.name }, h.span);
    b.add(Metric.SourceUp, { source: 'procfs', host: h.name }, h.span);
  }
}

function addProcesses(b: Builder): void {
  for (const p of PROCS) {
    const id = procId(p);
    const key = procKey(p);
    const segments: { span: Span; pod?: PodDef }[] = p.pods ? p.pods.map((pod) => ({ span: pod.span, pod })) : [];
    if (segments.length === 0) segments.push({ span: p.span });
    for (const seg of segments) {
      const cid = seg.pod ? containerId(seg.pod.pod) : '';
      const parent = seg.pod ? nodeId.container(p.host, cid) : nodeId.host(p.host);
      const ns = seg.pod ? NS : '';
      // a process group moving to a new pod keeps its id; only its parent (a new info series) changes
      const span = seg.pod && p.pods && p.pods.length > 1 ? clipForSuccessor(p.pods, seg.pod) : seg.span;
      b.add(
        Metric.ProcessInfo,
        {
          node: id,
          kind: 'process',
          name: key,
          host: p.host,
          namespace: ns,
          parent,
          user: 'app',
          cmdline: `/usr/bin/${p.name} --serve`,
          container_id: cid,
        },
        span,
      );
      if (seg.pod) {
        const podId = nodeId.pod(NS, seg.pod.pod);
        b.add(
          Metric.ContainerInfo,
          {
            node: nodeId.container(p.host, cid),
            kind: 'container',
            name: seg.pod.workload,
            host: p.host,
            namespace: NS,
            parent: podId,
            container_id: cid,
            runtime: 'containerd',
            image: `registry.local/shop/${seg.pod.workload}:1`,
          },
          seg.pod.span,
        );
      }
    }
    b.add(Metric.ProcessInstances, { node: id, host: p.host }, p.span, 1);
    if (p.port !== undefined) {
      b.add(
        Metric.ListenInfo,
        { node: id, host: p.host, address: '0.0.0.0', port: String(p.port), family: 'ipv4' },
        p.span,
      );
    }
  }
}

/** While an old and a new pod overlap, the process group already belongs to the new one. */
function clipForSuccessor(pods: PodDef[], pod: PodDef): Span {
  const i = pods.indexOf(pod);
  const next = pods[i + 1];
  return next ? { from: pod.span.from, to: next.span.from } : pod.span;
}

function addKubernetes(b: Builder): void {
  for (const ns of [NS, 'ops']) {
    b.add(
      KubernetesMetric.NamespaceInfo,
      { node: nodeId.namespace(ns), kind: 'namespace', name: ns, host: '', namespace: ns, parent: '' },
      ALL,
    );
  }
  for (const w of WORKLOADS) {
    const wid = nodeId.workload(NS, 'Deployment', w.name);
    b.add(
      KubernetesMetric.WorkloadInfo,
      {
        node: wid,
        kind: 'workload',
        name: w.name,
        host: '',
        namespace: NS,
        parent: nodeId.namespace(NS),
        workload_kind: 'Deployment',
      },
      w.span,
    );
    b.add(
      KubernetesMetric.ServiceInfo,
      {
        node: nodeId.service(NS, w.name),
        kind: 'service',
        name: w.name,
        host: '',
        namespace: NS,
        parent: nodeId.namespace(NS),
        cluster_ip: `10.96.0.${10 + WORKLOADS.indexOf(w)}`,
        service_type: 'ClusterIP',
      },
      w.span,
    );
  }
  b.add(
    KubernetesMetric.WorkloadInfo,
    {
      node: nodeId.workload('ops', 'DaemonSet', 'timescope-exporter'),
      kind: 'workload',
      name: 'timescope-exporter',
      host: '',
      namespace: 'ops',
      parent: nodeId.namespace('ops'),
      workload_kind: 'DaemonSet',
    },
    ALL,
  );
  for (const p of PROCS) {
    for (const pod of p.pods ?? []) {
      const podId = nodeId.pod(NS, pod.pod);
      const wid = nodeId.workload(NS, 'Deployment', pod.workload);
      b.add(
        KubernetesMetric.PodInfo,
        {
          node: podId,
          kind: 'pod',
          name: pod.pod,
          host: p.host,
          namespace: NS,
          parent: nodeId.host(p.host),
          pod_ip: `10.244.${PROCS.indexOf(p)}.${(p.pods ?? []).indexOf(pod) + 2}`,
          uid: `uid-${containerId(pod.pod)}`,
          workload: wid,
        },
        pod.span,
      );
      b.add(KubernetesMetric.ServiceBackend, { service: nodeId.service(NS, pod.workload), pod: podId }, pod.span);
    }
  }
}

function intersect(a: Span, c: Span): Span | undefined {
  const from = Math.max(a.from, c.from);
  const to = Math.min(a.to, c.to);
  return from < to ? { from, to } : undefined;
}

function addConnections(b: Builder): void {
  for (const c of CONNECTIONS) {
    const client = proc(c.from);
    const server = proc(c.to);
    for (const raw of c.spans) {
      const span = intersect(intersect(raw, client.span) ?? { from: 0, to: 0 }, server.span);
      if (!span) continue;
      const port = String(server.port);
      if (client.host === server.host) {
        b.add(
          Metric.EdgeConnections,
          { kind: 'process', source: procId(client), target: procId(server), port, host: client.host },
          span,
          2,
        );
      } else {
        const serverAddr = HOSTS.find((h) => h.name === server.host)?.address ?? '';
        const clientAddr = HOSTS.find((h) => h.name === client.host)?.address ?? '';
        b.add(
          Metric.RemoteConnections,
          {
            kind: 'process',
            node: procId(client),
            direction: 'outbound',
            address: serverAddr,
            port,
            host: client.host,
          },
          span,
          2,
        );
        b.add(
          Metric.RemoteConnections,
          { kind: 'process', node: procId(server), direction: 'inbound', address: clientAddr, port, host: server.host },
          span,
          2,
        );
      }
      addKubernetesEdges(b, client, server, span);
    }
  }
  const server = proc(EXTERNAL_CLIENT.to);
  b.add(
    Metric.RemoteConnections,
    {
      kind: 'process',
      node: procId(server),
      direction: 'inbound',
      address: EXTERNAL_CLIENT.address,
      port: String(server.port),
      host: server.host,
    },
    EXTERNAL_CLIENT.span,
    1,
  );
}

/** Pod, workload and service edges, as the cluster exporter publishes them, for connections between pods. */
function addKubernetesEdges(b: Builder, client: ProcDef, server: ProcDef, span: Span): void {
  if (!client.pods || !server.pods) return;
  const port = String(server.port);
  for (const cp of client.pods) {
    for (const sp of server.pods) {
      const s = intersect(intersect(span, clipForSuccessor(client.pods, cp)) ?? { from: 0, to: 0 }, sp.span);
      const podSpan = s && intersect(s, clipForSuccessor(server.pods, sp));
      if (!podSpan) continue;
      b.add(
        Metric.EdgeConnections,
        { kind: 'pod', source: nodeId.pod(NS, cp.pod), target: nodeId.pod(NS, sp.pod), port, host: '' },
        podSpan,
        2,
      );
    }
  }
  const cw = client.pods[0].workload;
  const sw = server.pods[0].workload;
  b.add(
    Metric.EdgeConnections,
    {
      kind: 'workload',
      source: nodeId.workload(NS, 'Deployment', cw),
      target: nodeId.workload(NS, 'Deployment', sw),
      port,
      host: '',
    },
    span,
    2,
  );
  b.add(
    Metric.EdgeConnections,
    { kind: 'service', source: nodeId.service(NS, cw), target: nodeId.service(NS, sw), port, host: '' },
    span,
    2,
  );
}

const DEPLOYS: {
  at: number;
  workload: string;
  revision: string;
  source: string;
  author: string;
  subject: string;
  end?: { after: number; status: 'succeeded' | 'failed' };
}[] = [
  {
    at: O.cartsDeploy,
    workload: 'carts',
    revision: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    source: 'git',
    author: 'Ada Lovelace',
    subject: 'carts: faster checkout',
    end: { after: 90, status: 'succeeded' },
  },
  {
    at: O.shippingDeploy,
    workload: 'shipping',
    revision: 'b2c3d4e5f60718293a4b5c6d7e8f901234567890',
    source: 'argocd',
    author: 'Grace Hopper',
    subject: 'shipping: first release',
    end: { after: 120, status: 'succeeded' },
  },
  {
    at: O.paymentDeploy,
    workload: 'payment',
    revision: 'c3d4e5f60718293a4b5c6d7e8f90123456789012',
    source: 'github',
    author: 'Alan Turing',
    subject: 'payment: switch provider',
    end: { after: 300, status: 'failed' },
  },
  {
    at: O.frontendDeploy,
    workload: 'frontend',
    revision: 'd4e5f60718293a4b5c6d7e8f9012345678901234',
    source: 'flux',
    author: 'Edsger "EWD" Dijkstra',
    subject: 'fix "quotes" & <b>tags</b> {braces} \\ backslash',
    end: { after: 60, status: 'succeeded' },
  },
  {
    at: O.ordersDeploy,
    workload: 'orders',
    revision: 'e5f60718293a4b5c6d7e8f901234567890123456',
    source: 'api',
    author: 'Barbara Liskov',
    subject: 'orders: still rolling out',
  },
];

function addDeploys(b: Builder): HistoryDeploy[] {
  return DEPLOYS.map((d, i) => {
    const deploy: HistoryDeploy = {
      id: `deploy-${i + 1}`,
      namespace: NS,
      workload: d.workload,
      kind: 'Deployment',
      revision: d.revision,
      source: d.source,
      author: d.author,
      subject: d.subject,
      url: `https://git.example.com/shop/${d.workload}/commit/${d.revision}`,
      startSec: b.start + d.at,
      end: d.end ? { sec: b.start + d.at + d.end.after, status: d.end.status } : undefined,
    };
    const labels = {
      id: deploy.id,
      namespace: deploy.namespace,
      workload: deploy.workload,
      kind: deploy.kind,
      revision: deploy.revision,
      source: deploy.source,
      author: deploy.author,
      subject: deploy.subject,
      url: deploy.url,
    };
    b.add(DeployMetric.Timestamp, labels, { from: d.at, to: ALL.to }, deploy.startSec);
    if (d.end && deploy.end) {
      b.add(
        DeployMetric.EndTimestamp,
        { ...labels, status: d.end.status },
        { from: d.at + d.end.after, to: ALL.to },
        deploy.end.sec,
      );
    }
    return deploy;
  });
}

/** Builds the 24-hour scenario ending at `endSec` (aligned down to the resolution). */
export function createScenario(opts: ScenarioOptions = {}): History {
  const res = opts.resolutionSec ?? 15;
  const rawEnd = opts.endSec ?? Math.floor(Date.now() / 1000);
  const end = Math.floor(rawEnd / res) * res;
  const start = end - DAY;
  const b = new Builder(start, end);
  addHosts(b);
  addProcesses(b);
  addKubernetes(b);
  addConnections(b);
  const deploys = addDeploys(b);
  const events = Object.fromEntries(Object.entries(SCENARIO_OFFSETS).map(([k, v]) => [k, start + v]));
  return { startSec: start, endSec: end, resolutionSec: res, series: b.series, deploys, events };
}
