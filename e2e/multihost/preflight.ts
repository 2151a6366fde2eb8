// What the multi-host test needs from the machine, checked up front by doing it once on a small scale: root, iproute2,
// network namespaces with a veth pair on a bridge, a pid namespace with its own /proc (util-linux unshare), a usable
// cgroup hierarchy and the prometheus binary. The answer is why the test cannot run, or undefined when it can.
import { execFileSync } from 'node:child_process';
import { cgroupUnavailable, findCgroupHierarchy, type CgroupHierarchy } from './cgroups';
import { createCluster, destroyCluster, freeSubnet, ip } from './netns';

function tool(cmd: string, args: string[]): string | undefined {
  try {
    execFileSync(cmd, args, { stdio: 'pipe', timeout: 20_000 });
    return undefined;
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
    return err.code === 'ENOENT' ? `\`${cmd}\` is not installed` : `\`${cmd} ${args.join(' ')}\` failed: ${err.stderr}`;
  }
}

function namespacesUnavailable(tag: string): string | undefined {
  try {
    const probe = createCluster(tag, freeSubnet(200), ['probe']);
    ip('netns', 'exec', probe.hosts[0].netns, 'unshare', '--pid', '--fork', '--kill-child', '--mount-proc', 'true');
    return undefined;
  } catch (e) {
    const err = e as Error & { stderr?: Buffer };
    return `network or pid namespaces unavailable: ${err.stderr?.toString().trim() || err.message}`;
  } finally {
    destroyCluster(tag);
  }
}

export type Preflight = { ok: true; cgroups: CgroupHierarchy } | { ok: false; reason: string };

export function preflight(tag: string): Preflight {
  if (process.platform !== 'linux') return { ok: false, reason: 'not Linux' };
  if (process.getuid?.() !== 0) return { ok: false, reason: 'not root (namespaces, veths and cgroups need root)' };
  const missing =
    tool('ip', ['-V']) ?? tool('unshare', ['--version']) ?? tool('prometheus', ['--version']) ?? undefined;
  if (missing) return { ok: false, reason: missing };
  const netns = namespacesUnavailable(`${tag}p`);
  if (netns) return { ok: false, reason: netns };
  const cgroups = findCgroupHierarchy();
  if (typeof cgroups === 'string') return { ok: false, reason: cgroups };
  const cgroupProblem = cgroupUnavailable(cgroups, `${tag}p`);
  if (cgroupProblem) return { ok: false, reason: cgroupProblem };
  return { ok: true, cgroups };
}
