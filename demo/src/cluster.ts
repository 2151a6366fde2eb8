// The shop as a Kubernetes cluster would run it, served by the Kubernetes API stand-in (common/standins): one
// Deployment per workload with the ReplicaSet of its current pod template, one pod per process (its container a
// `cri-containerd-<id>.scope` cgroup the process moves itself into, as a kubelet with containerd would start it), and
// a Service with its EndpointSlice per listening workload. The exporter maps processes to pods the way it does on a
// real node: /proc/<pid>/cgroup names the container, the pod's containerStatuses name the same id. A new pod
// template is a rollout: the Deployment's generation and revision annotation go up, a new ReplicaSet takes over.
// The processes share the host's network (hostNetwork pods on loopback); the Services are headless.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  containerCgroup,
  deploymentObject,
  endpointSliceObject,
  namespaceObject,
  nodeObject,
  podObject,
  removeCgroups,
  removeContainerCgroup,
  replicaSetObject,
  serviceObject,
  type CgroupHierarchy,
  type KubeApiStandIn,
  type PodTemplate,
} from '@timescope/common/standins';
import { IMAGE_REPOSITORY } from './manifests';
import { NAMESPACE, listens, type Workload } from './shop';

/** Letters Kubernetes uses in generated names (no vowels, no look-alikes). */
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function nameChars(bytes: Buffer, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += NAME_ALPHABET[bytes[i % bytes.length] % NAME_ALPHABET.length];
  return s;
}

/** The pod-template-hash of a workload's template: what restarts its processes (version, role, calls, poll). */
export function templateHash(w: Workload): string {
  const template = JSON.stringify([w.role, w.version, w.dependsOn, w.pollMs ?? 0]);
  return nameChars(createHash('sha256').update(`${w.name}\0${template}`).digest(), 10);
}

export function imageOf(w: Workload): string {
  return `${IMAGE_REPOSITORY}/${w.name}:${w.version}`;
}

/** A pod being started for one process: its name, its container and what the process must be told. */
export interface PodSlot {
  workload: string;
  name: string;
  /** 64 hex */
  containerId: string;
  /** environment for the process: SHOP_CGROUP, the container cgroup it moves itself into (when there are cgroups) */
  env: Record<string, string>;
}

/** What the supervisor tells the cluster as it converges the processes on a shop. */
export interface ShopPlacement {
  /** before a workload's processes start or restart: its Deployment and Service as desired */
  declare(w: Workload, port: number | undefined): void;
  /** every process of the workload runs its declared template: the rollout is complete */
  settled(w: Workload): void;
  /** the workload is gone from the shop (its processes have stopped) */
  removed(name: string): void;
  /** a process of `w` is about to start */
  podFor(w: Workload): PodSlot;
  /** the process is ready (listening) */
  running(pod: PodSlot, pid: number): void;
  /** the process has exited */
  stopped(pod: PodSlot): void;
}

interface ReplicaSetState {
  name: string;
  revision: number;
  uid: string;
  created: string;
}

interface Deployed {
  spec: Workload;
  port?: number;
  uid: string;
  generation: number;
  revision: number;
  hash: string;
  /** ReplicaSets by template hash: name and revision */
  replicaSets: Map<string, ReplicaSetState>;
  pods: Map<string, { slot: PodSlot; pid: number; started: string }>;
  /** the EndpointSlice's generated name */
  sliceName: string;
}

const iso = (ms = Date.now()): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export interface ShopClusterOptions {
  api: KubeApiStandIn;
  /** the node the pods run on: the exporter's --host.name */
  node: string;
  /** where container cgroups go; none: pods are published but no process is in their containers */
  cgroups?: { hierarchy: CgroupHierarchy; folder: string };
}

export class ShopCluster implements ShopPlacement {
  private readonly deployed = new Map<string, Deployed>();

  constructor(private readonly opts: ShopClusterOptions) {
    const { api, node } = opts;
    api.apply(namespaceObject(NAMESPACE));
    api.apply(nodeObject({ name: node }));
  }

  /** Deployment name -> its current revision (for status and tests). */
  revisions(): Record<string, number> {
    return Object.fromEntries([...this.deployed].map(([n, d]) => [n, d.revision]));
  }

  declare(w: Workload, port: number | undefined): void {
    const hash = templateHash(w);
    let d = this.deployed.get(w.name);
    if (!d) {
      d = {
        spec: w,
        port,
        uid: randomUUID(),
        generation: 0,
        revision: 0,
        hash,
        replicaSets: new Map(),
        pods: new Map(),
        sliceName: `${w.name}-${nameChars(randomBytes(5), 5)}`,
      };
      this.deployed.set(w.name, d);
    }
    const newTemplate = d.revision === 0 || d.hash !== hash;
    if (!newTemplate && d.spec.replicas === w.replicas) return;
    d.generation++;
    d.spec = w;
    d.port = port;
    if (newTemplate) {
      const old = d.replicaSets.get(d.hash);
      d.hash = hash;
      d.revision++;
      const rs = d.replicaSets.get(hash);
      if (rs) rs.revision = d.revision;
      else {
        const created = iso();
        d.replicaSets.set(hash, { name: `${w.name}-${hash}`, revision: d.revision, uid: randomUUID(), created });
      }
      if (old && old !== d.replicaSets.get(hash)) this.applyReplicaSet(d, old, 0);
    }
    this.applyReplicaSet(d, d.replicaSets.get(hash)!, w.replicas);
    this.applyDeployment(d, false);
    if (listens(w) && port !== undefined) this.applyService(d);
  }

  settled(w: Workload): void {
    const d = this.deployed.get(w.name);
    if (d) this.applyDeployment(d, true);
  }

  removed(name: string): void {
    const d = this.deployed.get(name);
    if (!d) return;
    this.deployed.delete(name);
    const { api } = this.opts;
    api.delete('Deployment', NAMESPACE, name);
    for (const rs of d.replicaSets.values()) api.delete('ReplicaSet', NAMESPACE, rs.name);
    api.delete('Service', NAMESPACE, name);
    api.delete('EndpointSlice', NAMESPACE, d.sliceName);
  }

  podFor(w: Workload): PodSlot {
    const hash = this.deployed.get(w.name)?.hash ?? templateHash(w);
    const containerId = randomBytes(32).toString('hex');
    const env: Record<string, string> = {};
    const cg = this.opts.cgroups;
    if (cg) env.SHOP_CGROUP = containerCgroup(cg.hierarchy, cg.folder, containerId);
    return { workload: w.name, name: `${w.name}-${hash}-${nameChars(randomBytes(5), 5)}`, containerId, env };
  }

  running(pod: PodSlot, pid: number): void {
    const d = this.deployed.get(pod.workload);
    if (!d) return;
    const started = iso();
    d.pods.set(pod.name, { slot: pod, pid, started });
    const rs = d.replicaSets.get(d.hash)!;
    const w = d.spec;
    const container = { name: w.name, image: imageOf(w), ...(d.port ? { ports: [{ containerPort: d.port }] } : {}) };
    this.opts.api.apply(
      podObject({
        namespace: NAMESPACE,
        name: pod.name,
        uid: randomUUID(),
        created: started,
        labels: { app: w.name, 'pod-template-hash': d.hash },
        owner: { kind: 'ReplicaSet', name: rs.name, uid: rs.uid },
        node: this.opts.node,
        hostNetwork: true,
        podIp: '127.0.0.1',
        hostIp: '127.0.0.1',
        container,
        containerId: pod.containerId,
      }),
    );
    if (d.port !== undefined && listens(w)) this.applySlice(d);
  }

  stopped(pod: PodSlot): void {
    const cg = this.opts.cgroups;
    if (cg) removeContainerCgroup(cg.hierarchy, cg.folder, pod.containerId);
    const d = this.deployed.get(pod.workload);
    this.opts.api.delete('Pod', NAMESPACE, pod.name);
    if (!d || !d.pods.delete(pod.name)) return;
    if (d.port !== undefined && listens(d.spec)) this.applySlice(d);
  }

  /** Removes the container cgroups (after the processes have exited); true when they are gone. */
  removeCgroups(): boolean {
    const cg = this.opts.cgroups;
    return cg ? removeCgroups(cg.hierarchy, cg.folder) : true;
  }

  private template(d: Deployed): PodTemplate {
    const w = d.spec;
    const env = [{ name: 'DEPENDS_ON', value: w.dependsOn.join(',') }];
    return { labels: { app: w.name }, containers: [{ name: w.name, image: imageOf(w), env }] };
  }

  private applyDeployment(d: Deployed, settled: boolean): void {
    this.opts.api.apply(
      deploymentObject({
        namespace: NAMESPACE,
        name: d.spec.name,
        uid: d.uid,
        generation: d.generation,
        revision: d.revision,
        replicas: d.spec.replicas,
        template: this.template(d),
        status: { current: d.pods.size, settled },
      }),
    );
  }

  private applyReplicaSet(d: Deployed, rs: ReplicaSetState, n: number): void {
    this.opts.api.apply(
      replicaSetObject({
        namespace: NAMESPACE,
        name: rs.name,
        uid: rs.uid,
        created: rs.created,
        revision: rs.revision,
        hash: rs.name.slice(d.spec.name.length + 1),
        owner: { kind: 'Deployment', name: d.spec.name, uid: d.uid },
        replicas: n,
        template: this.template(d),
      }),
    );
  }

  private applyService(d: Deployed): void {
    const name = d.spec.name;
    const port = d.port!;
    this.opts.api.apply(
      serviceObject({ namespace: NAMESPACE, name, clusterIp: 'None', ports: [{ port, targetPort: port }] }),
    );
    this.applySlice(d);
  }

  private applySlice(d: Deployed): void {
    const node = this.opts.node;
    this.opts.api.apply(
      endpointSliceObject({
        namespace: NAMESPACE,
        name: d.sliceName,
        service: d.spec.name,
        port: d.port!,
        endpoints: [...d.pods.keys()].map((pod) => ({ address: '127.0.0.1', node, pod })),
      }),
    );
  }
}

/** The cgroup folder of this demo process (`timescope-demo-<pid>`), and whether `name` is one of a dead demo. */
export const demoCgroupFolder = (pid = process.pid): string => `timescope-demo-${pid}`;
export const DEMO_CGROUP_FOLDER = /^timescope-demo-\d+$/;

/** The kubeconfig path in the demo's state folder. */
export const kubeconfigPath = (state: string): string => join(state, 'kubeconfig');
