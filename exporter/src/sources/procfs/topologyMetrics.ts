// The topology as the series of docs/metrics.md (nodes, listeners, edges). Built once per scrape window; a scrape
// with no probe completed since the previous one renders the same objects again.
import { Metric, NodeKind } from '@timescope/common';
import type { MetricFamily, Sample } from '../../runtime/source';
import type { Topology } from './model/topology';
import { freezeFamily } from '../../runtime/frozenFamily';

function gauge(name: string, help: string, samples: Sample[]): MetricFamily {
  return { name, help, type: 'gauge', samples };
}

/** The topology's families, frozen: rendered once however often they are served. */
export function topologyFamilies(t: Topology): MetricFamily[] {
  return buildFamilies(t).map(freezeFamily);
}

function buildFamilies(t: Topology): MetricFamily[] {
  const host = t.host.name;
  const procs = t.processes;
  const perProcess = (value: (p: (typeof procs)[number]) => number): Sample[] =>
    procs.map((p) => ({ labels: { node: p.id, host }, value: value(p) }));
  return [
    gauge(Metric.HostInfo, 'A host this exporter runs on; value 1.', [
      {
        labels: {
          node: t.host.id,
          kind: NodeKind.Host,
          name: host,
          host,
          namespace: '',
          parent: '',
          kernel: t.host.kernel,
          os: t.host.os,
        },
        value: 1,
      },
    ]),
    gauge(
      Metric.HostAddressInfo,
      'One series per IP address of the host (loopback excluded); value 1.',
      t.host.addresses.map((address) => ({ labels: { node: t.host.id, host, address }, value: 1 })),
    ),
    gauge(
      Metric.ContainerInfo,
      'A container seen through the cgroups of its processes; value 1.',
      t.containers.map((c) => ({
        labels: {
          node: c.id,
          kind: NodeKind.Container,
          name: c.containerId,
          host,
          namespace: '',
          parent: c.parent,
          container_id: c.containerId,
          runtime: c.runtime,
          image: '',
        },
        value: 1,
      })),
    ),
    gauge(
      Metric.ProcessInfo,
      'A process group: the processes of a host with one process key; value 1.',
      procs.map((p) => ({
        labels: {
          node: p.id,
          kind: NodeKind.Process,
          name: p.name,
          host,
          namespace: '',
          parent: p.parent,
          user: p.user,
          cmdline: p.cmdline,
          container_id: p.containerId,
        },
        value: 1,
      })),
    ),
    gauge(
      Metric.ProcessPid,
      'Lowest pid of the process group.',
      perProcess((p) => p.pid),
    ),
    gauge(
      Metric.ProcessInstances,
      'Number of OS processes in the group.',
      perProcess((p) => p.instances),
    ),
    {
      name: Metric.ProcessCpuSecondsTotal,
      help: "User and system CPU seconds of the group's live processes.",
      type: 'counter',
      samples: perProcess((p) => Math.round(p.cpuSeconds * 100) / 100),
    },
    gauge(
      Metric.ProcessResidentMemoryBytes,
      'Resident memory of the group in bytes.',
      perProcess((p) => p.rssBytes),
    ),
    gauge(
      Metric.ProcessStartTimeSeconds,
      "Start of the group's oldest process, seconds since the epoch.",
      perProcess((p) => Math.round(p.startTime * 100) / 100),
    ),
    gauge(
      Metric.ListenInfo,
      'A listening TCP socket of a process group; value 1.',
      t.listeners.map((l) => ({
        labels: { node: l.node, host, address: l.address, port: String(l.port), family: l.family },
        value: 1,
      })),
    ),
    gauge(
      Metric.EdgeConnections,
      'Established TCP connections from source to the listening port of target, both on this host.',
      t.edges.map((e) => ({
        labels: { kind: NodeKind.Process, source: e.source, target: e.target, port: String(e.port), host },
        value: e.connections,
      })),
    ),
    gauge(
      Metric.RemoteConnections,
      'Established TCP connections between a local node and an address of another host.',
      t.remotes.map((r) => ({
        labels: {
          kind: NodeKind.Process,
          node: r.node,
          direction: r.direction,
          address: r.address,
          port: String(r.port),
          host,
        },
        value: r.connections,
      })),
    ),
  ];
}
