// Runs the shop's processes and converges them on a desired shop, as a GitOps controller would: a new version or new
// dependencies restart a workload's process, replicas scale its process count, removed workloads stop. Ports are
// given once per workload name and kept, so a restarted service keeps its address (and its node id).
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort } from '@timescope/common/testing';
import type { ShopPlacement } from './cluster';
import { listens, validateShop, type Workload } from './shop';

export const LOOPBACK = '127.0.0.1';

/** Gives each workload name a port: base + n in order of first request, or a free port when base is 0. */
export class PortPlan {
  private readonly ports = new Map<string, number>();
  constructor(private readonly base: number) {}

  async portOf(name: string): Promise<number> {
    let p = this.ports.get(name);
    if (p === undefined) {
      p = this.base > 0 ? this.base + this.ports.size : await freePort(LOOPBACK);
      this.ports.set(name, p);
    }
    return p;
  }

  known(): ReadonlyMap<string, number> {
    return this.ports;
  }
}

/** The script and node flags that run proc.ts: compiled JS from dist, or TypeScript through swc under jest/dev. */
export function procEntry(): { script: string; execArgv: string[] } {
  const js = join(__dirname, 'proc.js');
  if (existsSync(js)) return { script: js, execArgv: [] };
  const root = resolve(__dirname, '..', '..');
  return { script: join(__dirname, 'proc.ts'), execArgv: ['-r', join(root, 'scripts', 'register-swc.js')] };
}

interface Running {
  spec: Workload;
  /** SHOP_DEPS as given to the processes */
  deps: string;
  procs: Set<ChildProcess>;
}

export type Log = (msg: string) => void;

function specChanged(a: Workload, b: Workload, depsA: string, depsB: string): boolean {
  return a.version !== b.version || a.role !== b.role || a.pollMs !== b.pollMs || depsA !== depsB;
}

/** Dependencies before their dependents, so a restarted caller finds its new dependency listening. */
function dependencyOrder(shop: Workload[]): Workload[] {
  const byName = new Map(shop.map((w) => [w.name, w]));
  const out: Workload[] = [];
  const seen = new Set<string>();
  const visit = (w: Workload): void => {
    if (seen.has(w.name)) return;
    seen.add(w.name);
    for (const d of w.dependsOn) {
      const dep = byName.get(d);
      if (dep) visit(dep);
    }
    out.push(w);
  };
  shop.forEach(visit);
  return out;
}

export class Supervisor {
  private readonly running = new Map<string, Running>();
  private stopping = false;
  private readonly entry = procEntry();
  private cluster?: ShopPlacement;

  constructor(
    readonly ports: PortPlan,
    private readonly log: Log = () => undefined,
  ) {}

  /** From now on every workload is also declared to `cluster` and every process gets a pod there. */
  placeIn(cluster: ShopPlacement): void {
    this.cluster = cluster;
  }

  private async declare(w: Workload): Promise<void> {
    this.cluster?.declare(w, listens(w) ? await this.ports.portOf(w.name) : undefined);
  }

  /** Converges the running processes on `shop`; returns one line per change made. */
  async apply(shop: Workload[]): Promise<string[]> {
    validateShop(shop);
    const changes: string[] = [];
    const wanted = new Set(shop.map((w) => w.name));
    for (const [name, r] of this.running) {
      if (wanted.has(name)) continue;
      await this.scale(r, 0);
      this.running.delete(name);
      this.cluster?.removed(name);
      changes.push(`${name}: removed`);
    }
    for (const w of dependencyOrder(shop)) {
      const deps = await this.depsOf(w);
      const r = this.running.get(w.name);
      if (!r) {
        const fresh: Running = { spec: w, deps, procs: new Set() };
        this.running.set(w.name, fresh);
        await this.declare(w);
        await this.scale(fresh, w.replicas);
        this.cluster?.settled(w);
        changes.push(`${w.name}: started ${w.version} x${w.replicas}`);
      } else if (specChanged(r.spec, w, r.deps, deps)) {
        const before = r.spec;
        await this.declare(w); // a new pod template: a rollout
        await this.scale(r, 0);
        r.spec = w;
        r.deps = deps;
        await this.scale(r, w.replicas);
        this.cluster?.settled(w);
        const what = before.version !== w.version ? `${before.version} -> ${w.version}` : 'new dependencies';
        changes.push(`${w.name}: restarted (${what})`);
      } else if (r.procs.size !== w.replicas) {
        const from = r.procs.size;
        r.spec = w;
        await this.declare(w);
        await this.scale(r, w.replicas);
        this.cluster?.settled(w);
        changes.push(`${w.name}: scaled ${from} -> ${w.replicas}`);
      }
    }
    return changes;
  }

  /** The pids of a workload's live processes. */
  pids(name: string): number[] {
    return [...(this.running.get(name)?.procs ?? [])].map((p) => p.pid ?? 0).filter((p) => p > 0);
  }

  /** From now on, processes that exit are not replaced (Ctrl-C reaches them before us). */
  halt(): void {
    this.stopping = true;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.running.values()].map((r) => this.scale(r, 0)));
    this.running.clear();
  }

  private async depsOf(w: Workload): Promise<string> {
    const items: string[] = [];
    for (const d of w.dependsOn) items.push(`${d}=${LOOPBACK}:${await this.ports.portOf(d)}`);
    return items.join(',');
  }

  private async scale(r: Running, n: number): Promise<void> {
    const extra = [...r.procs].slice(n);
    await Promise.all(extra.map((p) => this.kill(r, p)));
    const starts: Promise<void>[] = [];
    for (let i = r.procs.size; i < n; i++) starts.push(this.spawn(r));
    await Promise.all(starts);
  }

  private async spawn(r: Running): Promise<void> {
    const w = r.spec;
    const pod = this.cluster?.podFor(w);
    const env: NodeJS.ProcessEnv = {
      ...pod?.env,
      PATH: process.env.PATH,
      SHOP_NAME: w.name,
      SHOP_ROLE: w.role,
      SHOP_VERSION: w.version,
      SHOP_PORT: listens(w) ? String(await this.ports.portOf(w.name)) : '0',
      SHOP_DEPS: r.deps,
      SHOP_POLL_MS: String(w.pollMs ?? 0),
    };
    const child = fork(this.entry.script, [], {
      env,
      execArgv: this.entry.execArgv,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    r.procs.add(child);
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    await new Promise<void>((resolveReady, reject) => {
      const onExit = (code: number | null): void =>
        reject(new Error(`${w.name} exited (${code}) before ready: ${stderr}`));
      child.once('exit', onExit);
      child.once('message', () => {
        child.off('exit', onExit);
        resolveReady();
      });
    }).catch((e: Error) => {
      r.procs.delete(child);
      if (pod) this.cluster?.stopped(pod);
      throw e;
    });
    if (pod && child.pid) this.cluster?.running(pod, child.pid);
    child.once('exit', (code, signal) => {
      if (pod) this.cluster?.stopped(pod);
      if (!r.procs.delete(child) || this.stopping) return;
      // Died on its own (not stopped by us): say so and start a replacement, as a ReplicaSet would.
      this.log(`${w.name}: process ${child.pid} exited (${code ?? signal}); restarting ${stderr.trim()}`);
      setTimeout(() => {
        if (!this.stopping && this.running.get(w.name) === r && r.procs.size < r.spec.replicas) {
          this.spawn(r).catch((e: Error) => this.log(e.message));
        }
      }, 1000);
    });
  }

  private async kill(r: Running, child: ChildProcess): Promise<void> {
    r.procs.delete(child);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((res) => child.once('exit', () => res()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}
