// Kubernetes Deployment manifests for the shop's workloads, as kept in the GitOps repository: one file per
// workload. A workload's dependencies travel in the container's DEPENDS_ON variable, the way a real service gets
// the addresses of the services it calls.
import { parse, stringify } from 'yaml';
import { NAMESPACE, type Role, type Workload } from './shop';

export const IMAGE_REPOSITORY = 'timescope-demo';
export const MANIFESTS_DIR = 'manifests';

interface EnvVar {
  name: string;
  value: string;
}

export function manifestPath(name: string): string {
  return `${MANIFESTS_DIR}/${name}.yaml`;
}

export function renderManifest(w: Workload): string {
  const env: EnvVar[] = [
    { name: 'ROLE', value: w.role },
    { name: 'DEPENDS_ON', value: w.dependsOn.join(',') },
  ];
  if (w.pollMs) env.push({ name: 'POLL_MS', value: String(w.pollMs) });
  const container: Record<string, unknown> = {
    name: w.name,
    image: `${IMAGE_REPOSITORY}/${w.name}:${w.version}`,
    env,
  };
  if (w.role === 'service') container.ports = [{ name: 'http', containerPort: 80 }];
  const doc = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: w.name, namespace: NAMESPACE, labels: { app: w.name } },
    spec: {
      replicas: w.replicas,
      selector: { matchLabels: { app: w.name } },
      template: { metadata: { labels: { app: w.name } }, spec: { containers: [container] } },
    },
  };
  return stringify(doc);
}

function field(obj: unknown, ...path: (string | number)[]): unknown {
  let cur = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}

/** Reads one manifest back into a workload; throws a message naming the file when it is not one of ours. */
export function parseManifest(text: string, file = 'manifest'): Workload {
  const doc: unknown = parse(text);
  if (field(doc, 'kind') !== 'Deployment') throw new Error(`${file}: not a Deployment`);
  const name = field(doc, 'metadata', 'name');
  const image = field(doc, 'spec', 'template', 'spec', 'containers', 0, 'image');
  if (typeof name !== 'string' || typeof image !== 'string') throw new Error(`${file}: no name or image`);
  const envList = field(doc, 'spec', 'template', 'spec', 'containers', 0, 'env');
  const env = new Map<string, string>();
  if (Array.isArray(envList)) {
    for (const e of envList as EnvVar[]) if (typeof e?.name === 'string') env.set(e.name, String(e.value ?? ''));
  }
  const replicas = field(doc, 'spec', 'replicas');
  const role = (env.get('ROLE') ?? 'service') as Role;
  if (role !== 'service' && role !== 'load') throw new Error(`${file}: unknown ROLE ${role}`);
  const colon = image.lastIndexOf(':');
  const w: Workload = {
    name,
    role,
    version: colon > image.lastIndexOf('/') ? image.slice(colon + 1) : 'latest',
    replicas: typeof replicas === 'number' ? replicas : 1,
    dependsOn: (env.get('DEPENDS_ON') ?? '').split(',').filter((d) => d !== ''),
  };
  const poll = Number(env.get('POLL_MS'));
  if (poll > 0) w.pollMs = poll;
  return w;
}
