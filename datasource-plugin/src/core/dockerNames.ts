// Docker's names and Compose metadata for the container view (docs/metrics.md, "Docker"). The procfs source knows a
// container by its cgroup id only; the Docker source publishes its name, image and Compose service under the same
// node id, so one instant query over the range gives every container its name.
import type { PromVectorSample } from './promClient';
import { DOCKER_LABELS } from './queryBuilder';

export type DockerLabels = Partial<Record<(typeof DOCKER_LABELS)[number], string>>;

/** Each container's Docker labels, from the answer of `dockerInfoQuery`. */
export function dockerLabels(rows: readonly PromVectorSample[]): Map<string, DockerLabels> {
  const out = new Map<string, DockerLabels>();
  for (const row of rows) {
    const node = row.metric.node;
    if (!node) continue;
    const labels: DockerLabels = {};
    for (const l of DOCKER_LABELS) if (row.metric[l]) labels[l] = row.metric[l];
    out.set(node, labels);
  }
  return out;
}

/**
 * A container node's labels with Docker's: the Docker name becomes `docker_name` (the title), Compose's project and
 * service are added, and the image is kept from the cgroup side when both know it.
 */
export function withDocker(labels: Record<string, string>, d: DockerLabels | undefined): Record<string, string> {
  if (!d) return labels;
  const out = { ...labels };
  if (d.name) out.docker_name = d.name;
  if (d.image && !out.image) out.image = d.image;
  if (d.compose_project) out.compose_project = d.compose_project;
  if (d.compose_service) out.compose_service = d.compose_service;
  return out;
}
