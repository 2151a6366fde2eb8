// The runtime under the sources, in the manner of node_exporter's collector execute(): every source is turned on
// the same way (--[no-]collector.<name>), gets its context, has its health published, and its probe run at a rate
// with each cycle timed and recorded. Components that are not sources (the deploy journal) are created as they are.
import { logDebug } from '../logger';
import type { Config, FlagSpec } from './config';
import { ProbeLoop } from './probeLoop';
import type { Component, ComponentModule, Context, Probe, SourceSwitch } from './source';
import { errorKind, SourceHealth } from './sourceHealth';
import { realTimers, type Timers } from './timers';

/** What every module's context shares; the runtime adds the per-source health. */
export type SharedContext = Omit<Context, 'health'>;

export const collectorFlag = (name: string): string => `collector.${name}`;

function impliedText(s: SourceSwitch): string {
  if (typeof s.implied === 'boolean') return s.implied ? 'on' : 'off';
  return s.impliedText ?? 'decided by its other flags';
}

/** The --[no-]collector.<name> flag of every source, for parsing and --help. */
export function collectorFlags(modules: readonly ComponentModule[]): FlagSpec[] {
  return modules.flatMap((m) =>
    m.source
      ? [
          {
            name: collectorFlag(m.source.name),
            help: `${m.source.help} (default: ${impliedText(m.source)})`,
            type: 'bool' as const,
          },
        ]
      : [],
  );
}

/** A source is on when its collector flag says so, or, without that flag, when its older flags imply it. */
export function sourceEnabled(s: SourceSwitch, config: Config): boolean {
  const flag = collectorFlag(s.name);
  if (config.isSet(flag)) return config.bool(flag);
  return typeof s.implied === 'boolean' ? s.implied : s.implied(config);
}

export interface InstantiateOptions {
  timers?: Timers;
}

/**
 * Creates a module's component when its flags turn it on (undefined otherwise). A source comes back wrapped: its
 * health among its collectors and its probe, if any, run at a rate between its start and its stop.
 */
export function instantiate(
  module: ComponentModule,
  shared: SharedContext,
  opts: InstantiateOptions = {},
): Component | undefined {
  const s = module.source;
  if (!s) return module.create({ ...shared, health: new SourceHealth('', shared.hostname) });
  if (!sourceEnabled(s, shared.config)) return undefined;
  const health = new SourceHealth(s.name, shared.hostname, !s.passive);
  const inner = module.create({ ...shared, health });
  if (!inner) return undefined;
  return supervise(inner, health, shared, opts.timers ?? realTimers, !s.passive);
}

function supervise(
  inner: Component,
  health: SourceHealth,
  ctx: SharedContext,
  timers: Timers,
  published: boolean,
): Component {
  const probe = inner.probe;
  // /readyz: a probed source is ready once a first cycle completed (whatever its outcome) and it says so itself.
  let cycled = !probe;
  const loop = probe ? probeLoop(inner.name, probe, health, ctx, timers, () => (cycled = true)) : undefined;
  return {
    name: inner.name,
    collectors: published ? [...inner.collectors, health] : inner.collectors,
    routes: inner.routes,
    async start() {
      await inner.start();
      loop?.start();
    },
    async stop() {
      await loop?.stop();
      await inner.stop();
    },
    ready: () => cycled && (inner.ready?.() ?? true),
  };
}

function probeLoop(
  name: string,
  probe: Probe,
  health: SourceHealth,
  ctx: SharedContext,
  timers: Timers,
  onCycle: () => void,
): ProbeLoop {
  let overranThisCycle = false;
  let warned = false;
  const run = async (): Promise<void> => {
    const started = timers.now();
    let ok = true;
    try {
      ok = (await probe.cycle()) !== false;
    } catch (e) {
      ok = false;
      health.error(errorKind(e));
      ctx.logger.error(`${name}: probe cycle failed`, { err: e });
    }
    const seconds = (timers.now() - started) / 1000;
    health.cycle(ok, seconds);
    onCycle();
    // One warning per run of slow cycles; a cycle on time again re-arms it.
    if (overranThisCycle && !warned) {
      ctx.logger.warn(`${name}: a probe cycle took longer than its interval; cycles due meanwhile were skipped`, {
        seconds: seconds.toFixed(3),
        interval: probe.intervalSeconds,
      });
      warned = true;
    } else if (!overranThisCycle) warned = false;
    overranThisCycle = false;
  };
  return new ProbeLoop({
    intervalMs: probe.intervalSeconds * 1000,
    run,
    timers,
    onOverrun: (skipped) => {
      overranThisCycle = true;
      health.overrun(skipped);
      logDebug(ctx.logger, `${name}: probe cycle due while the previous one runs; skipped`, { skipped });
    },
  });
}
