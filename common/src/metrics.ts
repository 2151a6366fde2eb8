// The series contract between the exporter and its readers. docs/metrics.md explains every name here;
// change both in the same commit.

export const METRIC_PREFIX = 'timescope_';

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

/** Builds the node id of docs/metrics.md ("Identity: node ids"). */
export const nodeId = {
  host: (hostname: string): string => `host:${hostname}`,
  process: (hostname: string, key: string): string => `process:${hostname}/${key}`,
  container: (hostname: string, containerId: string): string => `container:${hostname}/${containerId.slice(0, 12)}`,
  pod: (namespace: string, pod: string): string => `pod:${namespace}/${pod}`,
  workload: (namespace: string, kind: string, name: string): string => `workload:${namespace}/${kind}/${name}`,
  service: (namespace: string, name: string): string => `service:${namespace}/${name}`,
  namespace: (name: string): string => `namespace:${name}`,
  external: (address: string): string => `external:${address}`,
};

/** The process key: name followed by its sorted listening ports, e.g. `catalogue[8081]`. */
export function processKey(name: string, listeningPorts: Iterable<number>): string {
  const ports = [...new Set(listeningPorts)].sort((a, b) => a - b);
  return ports.length > 0 ? `${name}[${ports.join(',')}]` : name;
}

/** The kind of a node id (the part before the first colon). */
export function kindOfNodeId(id: string): string {
  const i = id.indexOf(':');
  return i < 0 ? '' : id.slice(0, i);
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
