// The demo shop, after the Sock Shop: which services exist, what each one calls, and how each one runs. This is the
// initial desired state; the GitOps repository (manifests.ts) is the source of truth once the demo runs.

/** How a process behaves: a `service` answers HTTP and calls its dependencies; `load` only calls them. */
export type Role = 'service' | 'load';

export interface Workload {
  /** Deployment name and process title (at most 15 bytes so /proc/<pid>/comm shows all of it) */
  name: string;
  role: Role;
  /** the image tag; a new version restarts the process */
  version: string;
  replicas: number;
  /** names of the workloads this one calls, in order */
  dependsOn: string[];
  /** calls its dependencies on its own every this many ms (queue consumers, load generators) */
  pollMs?: number;
}

export const NAMESPACE = 'shop';
export const MAX_TITLE_BYTES = 15;

function service(name: string, dependsOn: string[] = [], pollMs?: number): Workload {
  return { name, role: 'service', version: '1.0.0', replicas: 1, dependsOn, ...(pollMs ? { pollMs } : {}) };
}

/** The shop before any scripted deploy. */
export function initialShop(): Workload[] {
  return [
    service('front-end', ['catalogue', 'carts', 'orders', 'user']),
    service('catalogue', ['catalogue-db']),
    service('catalogue-db'),
    service('carts', ['carts-db']),
    service('carts-db'),
    service('orders', ['carts', 'user', 'payment', 'shipping', 'orders-db']),
    service('orders-db'),
    service('payment'),
    service('user', ['user-db']),
    service('user-db'),
    service('shipping', ['rabbitmq']),
    service('rabbitmq'),
    service('queue-master', ['rabbitmq'], 1000),
    { name: 'loadgen', role: 'load', version: '1.0.0', replicas: 2, dependsOn: ['front-end'], pollMs: 500 },
  ];
}

/** Workloads that listen on a port (every service; load generators only call). */
export function listens(w: Workload): boolean {
  return w.role === 'service';
}

/** Throws when the set cannot run: bad names, unknown or cyclic dependencies, a listening workload with replicas. */
export function validateShop(workloads: Workload[]): void {
  const byName = new Map(workloads.map((w) => [w.name, w]));
  if (byName.size !== workloads.length) throw new Error('duplicate workload names');
  for (const w of workloads) {
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(w.name) || Buffer.byteLength(w.name) > MAX_TITLE_BYTES) {
      throw new Error(`workload name ${JSON.stringify(w.name)}: want a DNS label of at most ${MAX_TITLE_BYTES} bytes`);
    }
    if (!Number.isInteger(w.replicas) || w.replicas < 0) throw new Error(`${w.name}: replicas must be >= 0`);
    if (listens(w) && w.replicas > 1) throw new Error(`${w.name}: a listening workload runs at most 1 replica`);
    for (const d of w.dependsOn) {
      const dep = byName.get(d);
      if (!dep || !listens(dep)) throw new Error(`${w.name} depends on ${d}, which is not a service of the shop`);
    }
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') throw new Error(`dependency cycle: ${[...path, name].join(' -> ')}`);
    state.set(name, 'visiting');
    for (const d of byName.get(name)?.dependsOn ?? []) visit(d, [...path, name]);
    state.set(name, 'done');
  };
  for (const w of workloads) visit(w.name, []);
}
