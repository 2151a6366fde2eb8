// The exporter's command line for the demo. Flags the exporter build at hand does not know (a source not built in)
// are left out with a warning rather than failing the whole demo.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ExporterSetup {
  port: number;
  hostname: string;
  gitRepo: string;
  gitBranch: string;
  gitPath: string;
  eventsPath: string;
  /** the git watcher's bare clone */
  gitCacheDir: string;
  /** seconds, for the probe and the git watcher */
  interval: number;
  /** link template for commits, `{sha}` replaced */
  commitUrl?: string;
  /** a kubeconfig for the Kubernetes API stand-in: the exporter also runs the cluster role (pods, rollouts) */
  kubeconfig?: string;
}

export function wantedExporterFlags(s: ExporterSetup): Record<string, string> {
  const flags: Record<string, string> = {
    'web.listen-address': `127.0.0.1:${s.port}`,
    'host.name': s.hostname,
    'probe.interval': `${s.interval}s`,
    'git.repo': s.gitRepo,
    'git.branch': s.gitBranch,
    'git.path': s.gitPath,
    'git.poll-interval': `${s.interval}s`,
    'git.cache-dir': s.gitCacheDir,
    'events.path': s.eventsPath,
  };
  if (s.commitUrl) flags['git.commit-url'] = s.commitUrl;
  if (s.kubeconfig) {
    flags['kubernetes.role'] = 'cluster';
    flags.kubeconfig = s.kubeconfig;
  }
  return flags;
}

/** Flag names listed by `--help` (lines like `  --git.repo=<string>` or `  --[no-]collector.git`). */
export function flagsInHelp(help: string): Set<string> {
  return new Set([...help.matchAll(/^\s+--(?:\[no-\])?([a-z0-9.-]+)/gm)].map((m) => m[1]));
}

export async function exporterArgs(cli: string, setup: ExporterSetup): Promise<{ args: string[]; missing: string[] }> {
  const { stdout } = await run(process.execPath, [cli, '--help']);
  const known = flagsInHelp(stdout);
  const args: string[] = [];
  const missing: string[] = [];
  for (const [name, value] of Object.entries(wantedExporterFlags(setup))) {
    if (known.has(name)) args.push(`--${name}=${value}`);
    else missing.push(name);
  }
  return { args, missing };
}
