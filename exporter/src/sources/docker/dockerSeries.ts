// The Docker containers as docs/metrics.md's `timescope_container_docker_info`: one series per running container,
// keyed by the same node id as the procfs source's `timescope_container_info`, so readers join on(node).
import { DockerMetric, nodeId } from '@timescope/common';
import type { MetricFamily } from '../../runtime/source';
import type { DockerContainer } from './containers';

export function dockerFamilies(host: string, containers: Iterable<DockerContainer>): MetricFamily[] {
  // Two ids sharing their first 12 hex would be one node: keep one series for it, as the node id does.
  const byShortId = new Map<string, DockerContainer>();
  for (const c of containers) if (!byShortId.has(c.id.slice(0, 12))) byShortId.set(c.id.slice(0, 12), c);
  const samples = [...byShortId.values()]
    .map((c) => ({
      labels: {
        node: nodeId.container(host, c.id),
        host,
        container_id: c.id.slice(0, 12),
        name: c.name,
        image: c.image,
        compose_project: c.composeProject,
        compose_service: c.composeService,
      },
      value: 1,
    }))
    .sort((a, b) => (a.labels.node < b.labels.node ? -1 : a.labels.node > b.labels.node ? 1 : 0));
  return [
    {
      name: DockerMetric.ContainerDockerInfo,
      help: 'A running Docker container: its name, image and Compose project and service; value 1.',
      type: 'gauge',
      samples,
    },
  ];
}
