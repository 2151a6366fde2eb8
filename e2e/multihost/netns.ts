// A small "cluster" of network namespaces joined by veth pairs to one bridge, each namespace a host. Every name
// carries a tag made of the test's pid (`tsmh<pid>-<i>`, `tsmhbr<pid>`), so parallel runs never collide and what a
// killed run left behind is recognised (its pid is gone) and removed by the next one. Teardown removes everything
// it made, even after a failed setup.
import { execFileSync } from 'node:child_process';

export interface NetHost {
  name: string;
  netns: string;
  /** the host's own address */
  address: string;
  /** extra addresses on the same interface (pod IPs) */
  extra: string[];
}

export interface Cluster {
  tag: string;
  bridge: string;
  /** the bridge's address in the root namespace (where Prometheus runs) */
  gateway: string;
  /** the /24 the test owns, as `10.213.X` */
  subnet: string;
  hosts: NetHost[];
}

export function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
}

function quietly(...args: string[]): void {
  try {
    ip(...args);
  } catch {
    // already gone
  }
}

const bridgeOf = (tag: string): string => `tsmhbr${tag}`;
const netnsOf = (tag: string, i: number): string => `tsmh${tag}-${i}`;
// interface names have at most 15 bytes: 4 + 8 (pid and a letter) + 2
const vethOf = (tag: string, i: number): string => `tsmh${tag}v${i}`;

/** A 10.213.X /24 that no address or route of the root namespace touches (so no traffic leaves the test's own). */
export function freeSubnet(seed: number): string {
  const used = ip('-4', 'addr').concat(ip('-4', 'route'));
  for (let k = 0; k < 250; k++) {
    const subnet = `10.213.${(seed + k) % 250}`;
    if (!used.includes(`${subnet}.`)) return subnet;
  }
  throw new Error('no free 10.213.X.0/24 subnet');
}

/** Host i gets `<subnet>.<i+1>` and the pod address `<subnet>.<i+11>`; the bridge (root namespace) `.254`. */
export function createCluster(tag: string, subnet: string, names: string[]): Cluster {
  const bridge = bridgeOf(tag);
  const cluster: Cluster = { tag, bridge, subnet, gateway: `${subnet}.254`, hosts: [] };
  ip('link', 'add', bridge, 'type', 'bridge');
  ip('addr', 'add', `${cluster.gateway}/24`, 'dev', bridge);
  ip('link', 'set', bridge, 'up');
  names.forEach((name, i) => {
    const netns = netnsOf(tag, i);
    const veth = vethOf(tag, i);
    const host: NetHost = { name, netns, address: `${subnet}.${i + 1}`, extra: [`${subnet}.${i + 11}`] };
    ip('netns', 'add', netns);
    cluster.hosts.push(host);
    ip('link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', netns);
    ip('link', 'set', veth, 'master', bridge, 'up');
    ip('-n', netns, 'link', 'set', 'lo', 'up');
    for (const a of [host.address, ...host.extra]) ip('-n', netns, 'addr', 'add', `${a}/24`, 'dev', 'eth0');
    ip('-n', netns, 'link', 'set', 'eth0', 'up');
  });
  return cluster;
}

/** Pids (in the root pid namespace) of the processes whose network namespace is `netns`. */
export function pidsIn(netns: string): number[] {
  try {
    return ip('netns', 'pids', netns).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** The tags of this test's namespaces that exist now. */
function namespaceTags(): Map<string, string[]> {
  const byTag = new Map<string, string[]>();
  let list = '';
  try {
    list = ip('netns', 'list');
  } catch {
    return byTag;
  }
  for (const line of list.split('\n')) {
    const m = /^tsmh(\d+p?)-\d+/.exec(line);
    if (m) byTag.set(m[1], [...(byTag.get(m[1]) ?? []), m[0]]);
  }
  return byTag;
}

/**
 * Kills what still runs in the tag's namespaces (processes this test started: the services, exporters and their
 * pid-namespace init), removes the namespaces (their veth ends go with them) and the bridge. Ignores what is gone.
 */
export function destroyCluster(tag: string): void {
  const namespaces = namespaceTags().get(tag) ?? [];
  for (const ns of namespaces) {
    for (const pid of pidsIn(ns)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // exited meanwhile
      }
    }
  }
  for (const ns of namespaces) quietly('netns', 'del', ns);
  quietly('link', 'del', bridgeOf(tag));
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Tags (the pid of the run) of earlier runs that were killed before their teardown: their pid is gone. */
export function staleTags(): string[] {
  const tags = new Set(namespaceTags().keys());
  try {
    for (const m of ip('-o', 'link', 'show').matchAll(/tsmhbr(\d+p?)[:@]/g)) tags.add(m[1]);
  } catch {
    // no links to list
  }
  return [...tags].filter((t) => !alive(Number.parseInt(t, 10)));
}
