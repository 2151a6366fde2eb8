// What `npm start` checks before it installs or builds anything (scripts/start.sh runs this file from source):
// --help answers at once, a bad flag is refused at once, and a port already taken is said at once, in one line.
// Whether the shop can run as pods (its processes in container cgroups, which needs root) is said in one line too:
// without, the demo runs on with the host and process views only.
import { createServer } from 'node:net';
import { cgroupUnavailable, findCgroupHierarchy, type CgroupHierarchy } from '@timescope/common/standins';
import { demoCgroupFolder } from './cluster';
import { parseOptions, usage, type DemoOptions } from './options';
import { initialShop, listens } from './shop';

export interface WantedPort {
  port: number;
  flag: string;
}

/** The fixed ports the demo will listen on (0 means a free one, never taken). */
export function wantedPorts(opts: DemoOptions): WantedPort[] {
  const out: WantedPort[] = [];
  if (opts.exporter && opts.exporterPort) out.push({ port: opts.exporterPort, flag: 'exporter.port' });
  if (opts.prometheus && opts.prometheusPort) out.push({ port: opts.prometheusPort, flag: 'prometheus.port' });
  if (opts.preview && opts.previewPort) out.push({ port: opts.previewPort, flag: 'preview.port' });
  if (opts.basePort) {
    const n = initialShop().filter(listens).length;
    for (let i = 0; i < n; i++) out.push({ port: opts.basePort + i, flag: 'base-port' });
  }
  return out;
}

/** Whether something already listens on 127.0.0.1:port (binding it fails). */
export function portTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(true));
    s.listen({ port, host: '127.0.0.1', exclusive: true }, () => s.close(() => resolve(false)));
  });
}

/** One line per taken port (empty when all are free). */
export async function takenPorts(opts: DemoOptions): Promise<string[]> {
  const lines: string[] = [];
  for (const w of wantedPorts(opts)) {
    if (await portTaken(w.port)) {
      lines.push(
        `demo: port ${w.port} (--${w.flag}) is already in use; pass --${w.flag}=<another port> or 0 for a free one`,
      );
    }
  }
  return lines;
}

export type ClusterSupport = { ok: true; hierarchy: CgroupHierarchy } | { ok: false; reason: string };

/** The views the shop shows only when it runs as pods. */
export const CLUSTER_VIEWS = ['container', 'pod', 'workload', 'service'] as const;

/** Whether the shop's processes can be put in container cgroups here (tried once, in `folder`), or why not. */
export function clusterSupport(folder = demoCgroupFolder(), uid = process.getuid?.()): ClusterSupport {
  const hierarchy = findCgroupHierarchy();
  if (typeof hierarchy === 'string') return { ok: false, reason: hierarchy };
  const problem = cgroupUnavailable(hierarchy, folder);
  if (problem) return { ok: false, reason: uid === 0 ? problem : `not root: ${problem}` };
  return { ok: true, hierarchy };
}

/** The one line said when the shop cannot run as pods: which views stay empty, and why. */
export function missingViewsLine(reason: string): string {
  return (
    `demo: the ${CLUSTER_VIEWS.join(', ')} views will be empty: the shop's processes cannot be put in container ` +
    `cgroups (${reason}), so no pod maps to them; the host and process views are shown`
  );
}

/** Set once the line above was said (start.sh exports it to the demo it starts). */
export const VIEWS_SAID = 'TIMESCOPE_DEMO_VIEWS_SAID';

/** Exit code 0 to go on, or the code to exit with (after printing why). */
export async function preflight(argv: readonly string[]): Promise<number | 'help'> {
  let opts: DemoOptions;
  try {
    opts = parseOptions(argv);
  } catch (e) {
    process.stderr.write(`demo: ${(e as Error).message}\n`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(`${usage()}\n`);
    return 'help';
  }
  const taken = await takenPorts(opts);
  if (taken.length > 0) {
    process.stderr.write(`${taken[0]}\n`);
    return 3;
  }
  if (opts.cluster && !process.env[VIEWS_SAID]) {
    const support = clusterSupport();
    if (!support.ok) process.stdout.write(`${missingViewsLine(support.reason)}\n`);
    process.env[VIEWS_SAID] = '1'; // said once (start.sh runs this before the build, main.ts again)
  }
  return 0;
}

if (require.main === module) {
  // exit 10 after --help: start.sh stops there without building
  void preflight(process.argv.slice(2)).then((r) => process.exit(r === 'help' ? 10 : r));
}
