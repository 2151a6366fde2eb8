// The series contract between the exporter and its readers. docs/metrics.md explains every name here;
// change both in the same commit.

export const NodeKind = {
  Host: 'host',
  Process: 'process',
  Container: 'container',
  Pod: 'pod',
  Workload: 'workload',
  Service: 'service',
  Namespace: 'namespace',
  External: 'external',
} as const;
export type NodeKind = (typeof NodeKind)[keyof typeof NodeKind];

export const Metric = {
  HostInfo: 'timescope_host_info',
  HostAddressInfo: 'timescope_host_address_info',
  ProcessInfo: 'timescope_process_info',
  ProcessPid: 'timescope_process_pid',
  ProcessInstances: 'timescope_process_instances',
  ProcessCpuSecondsTotal: 'timescope_process_cpu_seconds_total',
  ProcessResidentMemoryBytes: 'timescope_process_resident_memory_bytes',
  ProcessStartTimeSeconds: 'timescope_process_start_time_seconds',
  ContainerInfo: 'timescope_container_info',
  ListenInfo: 'timescope_listen_info',
  EdgeConnections: 'timescope_edge_connections',
  RemoteConnections: 'timescope_remote_connections',
  NatConnections: 'timescope_nat_connections',
  ExporterBuildInfo: 'timescope_exporter_build_info',
  SourceUp: 'timescope_source_up',
  ProbeDurationSeconds: 'timescope_probe_duration_seconds',
  ProbeLastSuccessTimestampSeconds: 'timescope_probe_last_success_timestamp_seconds',
  ProbeErrorsTotal: 'timescope_probe_errors_total',
  ProbeOverrunsTotal: 'timescope_probe_overruns_total',
} as const;

/** The exporter's own health and activity (docs/metrics.md, "Self-metrics"; the deploy ones in docs/deploy-events.md). */
export const SelfMetric = {
  ExporterBuildInfo: Metric.ExporterBuildInfo,
  SourceUp: Metric.SourceUp,
  ProbeDurationSeconds: Metric.ProbeDurationSeconds,
  ProbeLastSuccessTimestampSeconds: Metric.ProbeLastSuccessTimestampSeconds,
  ProbeErrorsTotal: Metric.ProbeErrorsTotal,
  ProbeOverrunsTotal: Metric.ProbeOverrunsTotal,
  DeployEvents: 'timescope_deploy_events',
  DeployJournalWriteErrorsTotal: 'timescope_deploy_journal_write_errors_total',
  DeployJournalCompactionsTotal: 'timescope_deploy_journal_compactions_total',
  DeployJournalFlushesTotal: 'timescope_deploy_journal_flushes_total',
  DeployJournalReplayedEvents: 'timescope_deploy_journal_replayed_events',
  DeployJournalTornBytes: 'timescope_deploy_journal_torn_bytes',
  DeployJournalSkippedLines: 'timescope_deploy_journal_skipped_lines',
  GrafanaAnnotationPushesTotal: 'timescope_grafana_annotation_pushes_total',
  GrafanaAnnotationsPending: 'timescope_grafana_annotations_pending',
  WebhookRequestsTotal: 'timescope_webhook_requests_total',
  ProcfsStuckWalkers: 'timescope_procfs_stuck_walkers',
} as const;

/** The label names of the families above (docs/metrics.md names each family's labels). */
export const Label = {
  // every _info family
  Node: 'node',
  Kind: 'kind',
  Name: 'name',
  Host: 'host',
  Namespace: 'namespace',
  Parent: 'parent',
  // hosts, processes, containers
  Kernel: 'kernel',
  Os: 'os',
  User: 'user',
  Cmdline: 'cmdline',
  ContainerId: 'container_id',
  Runtime: 'runtime',
  Image: 'image',
  // listeners and edges
  Address: 'address',
  Port: 'port',
  Family: 'family',
  Source: 'source',
  Target: 'target',
  Direction: 'direction',
  Rule: 'rule',
  // Kubernetes
  PodIp: 'pod_ip',
  Uid: 'uid',
  Workload: 'workload',
  HostNetwork: 'host_network',
  Pod: 'pod',
  Container: 'container',
  WorkloadKind: 'workload_kind',
  ClusterIp: 'cluster_ip',
  ServiceType: 'service_type',
  Service: 'service',
  // Docker
  ComposeProject: 'compose_project',
  ComposeService: 'compose_service',
  // deploy events
  Id: 'id',
  Revision: 'revision',
  Author: 'author',
  Subject: 'subject',
  Url: 'url',
  Status: 'status',
  // self-metrics (`source` is the source's name there)
  Version: 'version',
  Result: 'result',
  Endpoint: 'endpoint',
  Code: 'code',
} as const;
export type Label = (typeof Label)[keyof typeof Label];

/** Builds the node id of docs/metrics.md ("Identity: node ids"); `parseNodeId` reads every shape back. */
export const nodeId = {
  host: (hostname: string): string => `host:${hostname}`,
  process: (hostname: string, key: string): string => `process:${hostname}/${key}`,
  container: (hostname: string, containerId: string): string => `container:${hostname}/${containerId.slice(0, 12)}`,
  pod: (namespace: string, pod: string): string => `pod:${namespace}/${pod}`,
  workload: (namespace: string, kind: string, name: string): string => `workload:${namespace}/${kind}/${name}`,
  /** a workload whose controller kind the source does not say (Istio): `workload:<namespace>/<name>` */
  workloadWithoutKind: (namespace: string, name: string): string => `workload:${namespace}/${name}`,
  service: (namespace: string, name: string): string => `service:${namespace}/${name}`,
  /** a service named without a namespace (Tempo's service graph): `service:<name>` */
  serviceWithoutNamespace: (name: string): string => `service:${name}`,
  namespace: (name: string): string => `namespace:${name}`,
  external: (address: string): string => `external:${address}`,
};

/**
 * A node id read back into its parts. Names may hold any character; the parts before them may not hold `/`
 * (hostnames, namespaces and controller kinds never do). `workloadKind` is '' for `workload:<namespace>/<name>`,
 * `namespace` is '' for `service:<name>`. An id of no known shape (another system's, or malformed) is `unknown`,
 * with `prefix` the part before its first colon ('' if it has none).
 */
export type ParsedNodeId =
  | { kind: 'host'; host: string }
  | { kind: 'process'; host: string; key: string }
  | { kind: 'container'; host: string; containerId: string }
  | { kind: 'pod'; namespace: string; name: string }
  | { kind: 'workload'; namespace: string; workloadKind: string; name: string }
  | { kind: 'service'; namespace: string; name: string }
  | { kind: 'namespace'; name: string }
  | { kind: 'external'; address: string }
  | { kind: 'unknown'; prefix: string; id: string };

/** Splits at the first `/`: undefined when there is none. */
function splitFirst(s: string): [string, string] | undefined {
  const i = s.indexOf('/');
  return i < 0 ? undefined : [s.slice(0, i), s.slice(i + 1)];
}

/** The part of an id before its first colon ('' if it has none): the kind, for every id `nodeId` writes. */
function prefixOf(id: string): string {
  const colon = id.indexOf(':');
  return colon < 0 ? '' : id.slice(0, colon);
}

/** Reads a node id written by `nodeId` (or by an adapter through it); never throws. */
export function parseNodeId(id: string): ParsedNodeId {
  const colon = id.indexOf(':');
  const prefix = prefixOf(id);
  const rest = id.slice(colon + 1);
  const unknown: ParsedNodeId = { kind: 'unknown', prefix, id };
  if (colon < 0) return unknown;
  const two = splitFirst(rest);
  switch (prefix) {
    case NodeKind.Host:
      return { kind: 'host', host: rest };
    case NodeKind.Namespace:
      return { kind: 'namespace', name: rest };
    case NodeKind.External:
      return { kind: 'external', address: rest };
    case NodeKind.Process:
      return two ? { kind: 'process', host: two[0], key: two[1] } : unknown;
    case NodeKind.Container:
      return two ? { kind: 'container', host: two[0], containerId: two[1] } : unknown;
    case NodeKind.Pod:
      return two ? { kind: 'pod', namespace: two[0], name: two[1] } : unknown;
    case NodeKind.Service:
      return two
        ? { kind: 'service', namespace: two[0], name: two[1] }
        : { kind: 'service', namespace: '', name: rest };
    case NodeKind.Workload: {
      if (!two) return unknown;
      const kindAndName = splitFirst(two[1]);
      return kindAndName
        ? { kind: 'workload', namespace: two[0], workloadKind: kindAndName[0], name: kindAndName[1] }
        : { kind: 'workload', namespace: two[0], workloadKind: '', name: two[1] };
    }
    default:
      return unknown;
  }
}

/** The kind of a node id: its prefix, whether or not the rest has the shape of that kind (cheap: no parse). */
export function kindOfNodeId(id: string): string {
  return prefixOf(id);
}

/** The id without its kind prefix (`shop/Deployment/carts`), the id itself when it has none. */
export function nodeIdBody(id: string): string {
  const colon = id.indexOf(':');
  return colon < 0 ? id : id.slice(colon + 1);
}

/** The Kubernetes namespace an id names or lies in ('' for other kinds and for services named without one). */
export function namespaceOfNodeId(id: string): string {
  const p = parseNodeId(id);
  switch (p.kind) {
    case 'pod':
    case 'workload':
    case 'service':
      return p.namespace;
    case 'namespace':
      return p.name;
    default:
      return '';
  }
}

/** The hostname a host, process or container id lies on ('' for other kinds). */
export function hostOfNodeId(id: string): string {
  const p = parseNodeId(id);
  return p.kind === 'host' || p.kind === 'process' || p.kind === 'container' ? p.host : '';
}

/** The id of an edge (nodes and edges frames, timeline, diff status). */
export function edgeId(source: string, target: string): string {
  return `${source}->${target}`;
}

const NODE_ID_START = new RegExp(`->(?=(?:${Object.values(NodeKind).join('|')}):)`, 'g');

/**
 * Reads an edge id back. Node ids may themselves hold `->` (a process title can), so the split is at the first
 * `->` that a node id of a known kind follows, else at the first `->`; undefined when there is none.
 */
export function parseEdgeId(id: string): { source: string; target: string } | undefined {
  NODE_ID_START.lastIndex = 0;
  const known = NODE_ID_START.exec(id);
  const i = known ? known.index : id.indexOf('->');
  return i < 0 ? undefined : { source: id.slice(0, i), target: id.slice(i + 2) };
}

/** The process key: name followed by its sorted listening ports, e.g. `catalogue[8081]`. */
export function processKey(name: string, listeningPorts: Iterable<number>): string {
  const ports = [...new Set(listeningPorts)].sort((a, b) => a - b);
  return ports.length > 0 ? `${name}[${ports.join(',')}]` : name;
}

export const KubernetesMetric = {
  PodInfo: 'timescope_pod_info',
  PodContainerInfo: 'timescope_pod_container_info',
  WorkloadInfo: 'timescope_workload_info',
  ServiceInfo: 'timescope_service_info',
  ServiceBackend: 'timescope_service_backend',
  NamespaceInfo: 'timescope_namespace_info',
} as const;

export const DockerMetric = {
  ContainerDockerInfo: 'timescope_container_docker_info',
} as const;

export const DeployMetric = {
  Timestamp: 'timescope_deploy_timestamp_seconds',
  EndTimestamp: 'timescope_deploy_end_timestamp_seconds',
  Total: 'timescope_deploys_total',
} as const;
