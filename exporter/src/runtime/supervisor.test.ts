import { startExporter } from '../cli';
import { parseFlags } from '../flags';
import { createJournal } from '../journal';
import type { Logger } from '../logger';
import { ManualTimers } from '../testutil/manualTimers';
import { componentModules, registryFlags } from '../registry';
import type { Component, ComponentModule, MetricFamily, SampleLabels } from './source';
import { collectorFlags, instantiate, sourceEnabled } from './supervisor';

const logs: string[] = [];
const logger: Logger = {
  info: (m) => logs.push(`info ${m}`),
  warn: (m) => logs.push(`warn ${m}`),
  error: (m) => logs.push(`error ${m}`),
};

const moduleNamed = (name: string): ComponentModule => {
  const m = componentModules.find((x) => x.source?.name === name);
  if (!m) throw new Error(`no source ${name}`);
  return m;
};

/** Whether the source `name` is on with these flags (command line and environment), as the CLI decides. */
function on(name: string, argv: string[], env: Record<string, string> = {}): boolean {
  const source = moduleNamed(name).source;
  if (!source) throw new Error('not a source');
  return sourceEnabled(source, parseFlags(argv, env, registryFlags()).settings);
}

function value(c: Component, family: string, labels: SampleLabels = {}): number | undefined {
  const all: MetricFamily[] = c.collectors.flatMap((x) => x.collect());
  return all
    .filter((f) => f.name === family)
    .flatMap((f) => f.samples)
    .find((s) => Object.entries(labels).every(([k, v]) => s.labels[k as keyof SampleLabels] === v))?.value;
}

describe('collector flags', () => {
  it('turn every source on and off the same way', () => {
    for (const name of ['procfs', 'kubernetes', 'docker', 'git', 'webhooks']) {
      expect(on(name, [`--no-collector.${name}`])).toBe(false);
      expect(on(name, [`--collector.${name}`])).toBe(true);
      expect(on(name, [], { [`TIMESCOPE_COLLECTOR_${name.toUpperCase()}`]: 'true' })).toBe(true);
    }
  });

  it('default to what the flags before them did', () => {
    expect(on('procfs', [])).toBe(true);
    expect(on('webhooks', [])).toBe(true);
    expect(on('git', [])).toBe(false);
    expect(on('docker', [])).toBe(false);
    expect(on('kubernetes', [])).toBe(false);
  });

  it('keep the older flags as aliases that turn their source on', () => {
    expect(on('git', ['--git.repo=/srv/gitops'])).toBe(true);
    expect(on('docker', ['--docker.socket=/var/run/docker.sock'])).toBe(true);
    expect(on('docker', [], { TIMESCOPE_DOCKER_SOCKET: '/run/docker.sock' })).toBe(true);
    expect(on('kubernetes', ['--kubernetes.role=cluster'])).toBe(true);
    expect(on('kubernetes', ['--kubernetes.role=node'])).toBe(false);
    expect(on('kubernetes', ['--kubernetes.role=none'])).toBe(false);
    // the collector flag wins over the alias
    expect(on('git', ['--git.repo=/srv/gitops', '--no-collector.git'])).toBe(false);
    expect(() => on('kubernetes', ['--kubernetes.role=master'])).toThrow(/node, cluster or none/);
  });

  it('are listed by --help', async () => {
    const out: string[] = [];
    await startExporter(['--help'], {}, componentModules, (l) => out.push(l));
    const help = out.join('\n');
    for (const name of ['procfs', 'kubernetes', 'docker', 'git', 'webhooks'])
      expect(help).toContain(`--[no-]collector.${name}`);
    expect(help).toContain('on when --git.repo is set');
    expect(collectorFlags(componentModules).map((f) => f.name)).toHaveLength(5);
  });

  it('say what is missing when a source is turned on without what it needs', () => {
    const config = parseFlags(['--collector.git'], {}, registryFlags()).settings;
    const shared = { config, logger, hostname: 'h', journal: createJournal(config, logger) };
    expect(() => instantiate(moduleNamed('git'), shared)).toThrow('--collector.git needs --git.repo');
  });
});

describe('the runtime under a probed source', () => {
  function probed(cycle: () => Promise<boolean | void>, timers = new ManualTimers()) {
    const module: ComponentModule = {
      flags: [],
      source: { name: 'fake', help: 'a fake source', implied: true },
      create: () => ({
        name: 'fake',
        collectors: [],
        probe: { intervalSeconds: 1, cycle },
        start: async () => undefined,
        stop: async () => undefined,
      }),
    };
    const config = parseFlags([], {}, registryFlags()).settings;
    const shared = { config, logger, hostname: 'h1', journal: createJournal(config, logger) };
    const c = instantiate(module, shared, { timers });
    if (!c) throw new Error('fake source not created');
    return { c, timers };
  }

  it('publishes the health of every cycle', async () => {
    const results = [true, false, undefined];
    const { c, timers } = probed(async () => {
      const r = results.shift();
      if (r === undefined) throw Object.assign(new Error('gone'), { code: 'ENOENT' });
      return r;
    });
    expect(value(c, 'timescope_source_up', { source: 'fake', host: 'h1' })).toBe(0);
    await c.start();
    await timers.advance(0);
    expect(value(c, 'timescope_source_up')).toBe(1);
    expect(value(c, 'timescope_probe_last_success_timestamp_seconds')).toBeGreaterThan(0);
    await timers.advance(1000);
    expect(value(c, 'timescope_source_up')).toBe(0);
    await timers.advance(1000);
    expect(value(c, 'timescope_source_up')).toBe(0);
    expect(value(c, 'timescope_probe_errors_total', { kind: 'vanished' })).toBe(1);
    expect(logs.some((l) => l.startsWith('error fake: probe cycle failed'))).toBe(true);
    await c.stop();
  });

  it('counts and logs the cycles a slow one made it skip', async () => {
    const timers = new ManualTimers();
    const slow = (): Promise<void> => new Promise((resolve) => timers.setTimeout(resolve, 3_500));
    const { c } = probed(slow, timers);
    await c.start();
    await timers.advance(4_000);
    expect(value(c, 'timescope_probe_overruns_total', { source: 'fake' })).toBe(3);
    expect(value(c, 'timescope_probe_duration_seconds')).toBe(3.5);
    expect(logs.filter((l) => l.startsWith('warn fake: a probe cycle took longer than its interval'))).toHaveLength(1);
    const stopped = c.stop();
    await timers.advance(4_000);
    await stopped;
  });
});
