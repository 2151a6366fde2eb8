// The procfs source: walks /proc every --probe.interval in a worker thread and publishes the host's processes,
// containers, listeners and connections. A scrape always serves the last complete probe.
import type { Component, ComponentModule, Context, FlagSpec, MetricFamily } from '../../runtime/source';
import { logDebug } from '../../logger';
import { SourceHealth } from '../../runtime/sourceHealth';
import { topologyFamilies } from './topologyMetrics';
import { pageSize, readHostFacts, readPasswd } from './hostFacts';
import { natFamily } from './natConnections';
import { WalkerThread, type ProbeReply } from './walkerThread';

export const procfsFlags: FlagSpec[] = [
  {
    name: 'collector.procfs',
    help: 'Publish processes and TCP connections from procfs.',
    type: 'bool',
    default: 'true',
  },
  {
    name: 'path.procfs',
    help: "procfs mountpoint (in a container, mount the host's /proc and point here, e.g. /host/proc).",
    type: 'string',
    default: '/proc',
  },
  { name: 'probe.interval', help: 'How often to walk procfs.', type: 'duration', default: '15s' },
];

export class ProcfsComponent implements Component {
  readonly name = 'procfs';
  private readonly health: SourceHealth;
  private families: MetricFamily[] = [];
  private readonly walker: WalkerThread;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private probed = false;
  private warnedPermission = false;
  readonly collectors;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly ctx: Context,
    private readonly procfs: string,
    private readonly intervalSeconds: number,
  ) {
    this.health = new SourceHealth('procfs', ctx.hostname);
    this.walker = new WalkerThread({ root: procfs, passwd: readPasswd(procfs), pageSize: pageSize() });
    this.collectors = [{ collect: () => this.families }, this.health];
  }

  async start(): Promise<void> {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.inFlight;
    await this.walker.kill();
  }

  ready(): boolean {
    return this.probed;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.inFlight = this.cycle().finally(() => {
        this.inFlight = undefined;
        this.schedule(this.intervalSeconds * 1000);
      });
    }, delayMs);
  }

  private async cycle(): Promise<void> {
    const started = performance.now();
    const facts = readHostFacts(this.procfs, this.ctx.hostname);
    const timeoutMs = Math.max(60_000, this.intervalSeconds * 4000);
    const reply = await this.walker.probe(facts, timeoutMs);
    if (this.stopped) return;
    this.apply(reply, (performance.now() - started) / 1000);
    this.probed = true;
  }

  private apply(reply: ProbeReply, seconds: number): void {
    const log = this.ctx.logger;
    if (!reply.ok) {
      this.health.error(reply.code === 'EACCES' ? 'permission' : reply.code === 'ENOENT' ? 'vanished' : 'io');
      this.health.cycle(false, seconds);
      log.error('procfs probe failed; serving the last complete probe', { path: this.procfs, err: reply.message });
      return;
    }
    this.families = [...topologyFamilies(reply.topology), natFamily(reply.nat, reply.topology.host.name)];
    for (const [kind, n] of Object.entries(reply.errors)) this.health.error(kind as keyof typeof reply.errors, n);
    this.health.cycle(true, seconds);
    if (reply.errors.permission > 0 && !this.warnedPermission) {
      this.warnedPermission = true;
      log.warn(
        'some processes cannot be read (permission; not root, or a hardened /proc): their sockets are not shown',
        {
          count: reply.errors.permission,
          example: reply.problems.find((p) => p.startsWith('permission')),
        },
      );
    }
    const unusual = reply.problems.filter((p) => !p.startsWith('vanished') && !p.startsWith('permission'));
    if (unusual.length > 0) log.warn('procfs probe met bad input', { problems: unusual.join('; ') });
    logDebug(log, 'procfs probe', {
      seconds: seconds.toFixed(3),
      cpu_seconds: reply.walkCpuSeconds.toFixed(3),
      processes: reply.processes,
      sockets: reply.sockets,
      nodes: reply.topology.processes.length,
      edges: reply.topology.edges.length,
    });
  }
}

export const procfsModule: ComponentModule = {
  flags: procfsFlags,
  create(ctx: Context): Component | undefined {
    if (ctx.config['collector.procfs'] === false) return undefined;
    const interval = Number(ctx.config['probe.interval']);
    if (!(interval > 0)) throw new Error('--probe.interval must be positive');
    return new ProcfsComponent(ctx, String(ctx.config['path.procfs']), interval);
  },
};
