// The procfs source: walks /proc every --probe.interval in a worker thread and publishes the host's processes,
// containers, listeners and connections. A scrape serves what the complete probes saw since the previous scrape
// (ScrapeWindow; the last complete probe when none completed since). The runtime runs the probe at its rate and
// publishes its health.
import { SelfMetric } from '@timescope/common';
import { logDebug } from '../../logger';
import type { Component, ComponentModule, Context, FlagSpec, MetricFamily, Probe } from '../../runtime/source';
import { topologyFamilies } from './topologyMetrics';
import { pageSize, readHostFacts, readPasswd } from './hostFacts';
import { natFamily } from './natConnections';
import { WalkerThread } from './walkerThread';
import type { HostFacts } from './model/buildTopology';
import type { ProbeReply } from './probeReply';
import { ScrapeWindow, type ProbeView } from './scrapeWindow';

export const procfsFlags: FlagSpec[] = [
  {
    name: 'path.procfs',
    help: "procfs mountpoint (in a container, mount the host's /proc and point here, e.g. /host/proc).",
    type: 'string',
    default: '/proc',
  },
  { name: 'probe.interval', help: 'How often to walk procfs.', type: 'duration', default: '15s' },
];

/**
 * A known process's CPU, memory, name and parent are read again at most this often (new processes at once, exits at
 * the next probe): at one probe a second, reading every process's stat was the walk's largest cost (issue 14).
 */
export const STAT_SECONDS = 5;
/** The kernel, OS name and addresses change rarely: read again at most this often, not every probe. */
const FACTS_SECONDS = 10;

export class ProcfsComponent implements Component {
  readonly name = 'procfs';
  private families: MetricFamily[] = [];
  /** the view `families` were built from */
  private familiesOf: ProbeView | undefined;
  private readonly window = new ScrapeWindow();
  private readonly walker: WalkerThread;
  private stopped = false;
  private probed = false;
  private warnedPermission = false;
  private toldReader = false;
  private facts: { value: HostFacts; readAt: number } | undefined;
  readonly collectors;
  readonly probe: Probe;

  constructor(
    private readonly ctx: Context,
    private readonly procfs: string,
    intervalSeconds: number,
  ) {
    this.walker = new WalkerThread({
      root: procfs,
      passwd: readPasswd(procfs),
      pageSize: pageSize(),
      statSeconds: STAT_SECONDS,
    });
    this.collectors = [{ collect: () => [...this.collect(), this.stuckFamily()] }];
    this.probe = { intervalSeconds, cycle: () => this.cycle() };
  }

  async start(): Promise<void> {}

  /** The runtime has stopped the probe (and awaited its cycle) before this. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.walker.kill();
  }

  ready(): boolean {
    return this.probed;
  }

  /** A scrape: what the probes saw since the previous scrape ("seen during the scrape interval", docs/metrics.md). */
  private collect(): MetricFamily[] {
    const taken = this.window.take();
    if (taken && taken.view !== this.familiesOf) {
      const { topology, nat } = taken.view;
      this.families = [...topologyFamilies(topology), natFamily(nat, topology.host.name)];
      this.familiesOf = taken.view;
    }
    return this.families;
  }

  /** A walk blocked in a read (a FIFO, a hung mount) holds one thread until the read returns: at most one. */
  private stuckFamily(): MetricFamily {
    return {
      name: SelfMetric.ProcfsStuckWalkers,
      help: 'Walker threads blocked in a procfs read after their probe timed out (0 or 1: no walk starts meanwhile).',
      type: 'gauge',
      samples: [{ labels: { host: this.ctx.hostname }, value: this.walker.stuck() }],
    };
  }

  private async cycle(): Promise<boolean> {
    const started = performance.now();
    const facts = this.hostFacts(started);
    const timeoutMs = Math.max(60_000, this.probe.intervalSeconds * 4000);
    const reply = await this.walker.probe(facts, timeoutMs);
    if (this.stopped) return true;
    const ok = this.apply(reply, (performance.now() - started) / 1000);
    this.probed = true;
    return ok;
  }

  private hostFacts(now: number): HostFacts {
    if (!this.facts || now - this.facts.readAt >= FACTS_SECONDS * 1000) {
      this.facts = { value: readHostFacts(this.procfs, this.ctx.hostname), readAt: now };
    }
    return this.facts.value;
  }

  private apply(reply: ProbeReply, seconds: number): boolean {
    const log = this.ctx.logger;
    const health = this.ctx.health;
    if (!reply.ok) {
      health.error(reply.code === 'EACCES' ? 'permission' : reply.code === 'ENOENT' ? 'vanished' : 'io');
      log.error('procfs probe failed; serving the last complete probe', { path: this.procfs, err: reply.message });
      return false;
    }
    this.window.add({ topology: reply.topology, nat: reply.nat });
    for (const [kind, n] of Object.entries(reply.errors)) health.error(kind as keyof typeof reply.errors, n);
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
    if (!this.toldReader) {
      this.toldReader = true;
      const { netlink, procfs, fallback } = reply.socketReads;
      log.info('procfs probe reads the socket tables', {
        netlink_namespaces: netlink,
        text_namespaces: procfs,
        ...(fallback ? { fallback } : {}),
      });
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
    return true;
  }
}

export const procfsModule: ComponentModule = {
  flags: procfsFlags,
  source: { name: 'procfs', help: 'Publish processes and TCP connections from procfs.', implied: true },
  create(ctx: Context): Component {
    const interval = ctx.config.positiveDuration('probe.interval');
    return new ProcfsComponent(ctx, ctx.config.string('path.procfs'), interval);
  },
};
