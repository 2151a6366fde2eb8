#!/usr/bin/env node
// timescope-exporter: parses the flags of every component, starts them, serves /metrics, /healthz, /readyz and the
// components' routes, and stops them all gracefully on SIGTERM or SIGINT.
import { hostname } from 'node:os';
import { Metric } from '@timescope/common';
import { FlagError, helpText, parseFlags } from './flags';
import { createJournal } from './journal';
import { createLogger, isLogLevel } from './logger';
import { collectorFlags, instantiate } from './runtime/supervisor';
import { componentModules, registryFlags } from './registry';
import type { Collector, Component, ComponentModule, FlagSpec, Logger } from './runtime/source';
import { createExporterServer, parseListenAddress, type ExporterServer } from './server';
import { VERSION } from './version';

/** The default port: 9469 is free in the Prometheus default port allocations list at the time of writing. */
export const DEFAULT_PORT = 9469;

export const coreFlags: FlagSpec[] = [
  {
    name: 'web.listen-address',
    help: 'Address to serve metrics and health on: [host]:port (":9469" is every interface).',
    type: 'string',
    default: `:${DEFAULT_PORT}`,
  },
  { name: 'web.telemetry-path', help: 'Path under which to expose metrics.', type: 'string', default: '/metrics' },
  {
    name: 'host.name',
    help: 'Hostname every series is labelled with (default: the OS hostname).',
    type: 'string',
  },
  { name: 'log.level', help: 'Log level: debug, info, warn or error.', type: 'string', default: 'info' },
];

const USAGE = `usage: timescope-exporter [flags]

Publishes this host's topology (processes, TCP connections, containers) and deploy events as Prometheus series.
Every flag can also be set by the environment variable shown beside it; the command line wins.`;

export interface RunningExporter {
  url: string;
  components: Component[];
  server: ExporterServer;
  stop(): Promise<void>;
}

function buildInfo(host: string): Collector {
  const family = {
    name: Metric.ExporterBuildInfo,
    help: "The exporter's version; value 1.",
    type: 'gauge' as const,
    samples: [{ labels: { version: VERSION, host }, value: 1 }],
  };
  return { collect: () => [family] };
}

async function stopAll(components: readonly Component[], logger: Logger): Promise<void> {
  await Promise.all(
    components.map(async (c) => {
      try {
        await c.stop();
      } catch (e) {
        logger.error('component stop failed', { component: c.name, err: e });
      }
    }),
  );
}

/** Starts the exporter in this process. Throws FlagError on bad flags; the caller prints and exits. */
export async function startExporter(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
  modules: readonly ComponentModule[] = componentModules,
  out: (line: string) => void = (l) => process.stdout.write(l + '\n'),
): Promise<RunningExporter | undefined> {
  const collectors = collectorFlags(modules);
  const specs = [...coreFlags, ...registryFlags(modules)];
  const args = parseFlags(argv, env, specs);
  if (args.help) {
    const groups = [
      { title: 'Flags', flags: coreFlags },
      { title: 'Collectors (--collector.<name> turns a source on, --no-collector.<name> off)', flags: collectors },
      { title: 'Deploy journal and source flags', flags: specs },
    ];
    out(helpText(USAGE, groups));
    return undefined;
  }
  if (args.version) {
    out(`timescope-exporter ${VERSION}`);
    return undefined;
  }
  const config = args.settings;
  const level = config.string('log.level');
  if (!isLogLevel(level)) throw new FlagError(`--log.level: expected debug, info, warn or error, got "${level}"`);
  const logger = createLogger(level);
  const host = config.optionalString('host.name') ?? hostname();
  const listen = parseListenAddress(config.string('web.listen-address'));
  const telemetryPath = config.string('web.telemetry-path');
  if (!telemetryPath.startsWith('/')) throw new FlagError('--web.telemetry-path must start with "/"');

  const shared = { config, logger, hostname: host, journal: createJournal(config, logger) };
  const components: Component[] = [];
  for (const m of modules) {
    const c = instantiate(m, shared);
    if (c) components.push(c);
  }
  const server = createExporterServer({ components, extraCollectors: [buildInfo(host)], telemetryPath, logger });
  const addr = await server.listen(listen);
  const shownHost = listen.host ?? 'localhost';
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${addr.port}`;
  logger.info('listening', {
    address: addr.address,
    port: addr.port,
    host,
    components: components.map((c) => c.name).join(','),
  });
  try {
    await Promise.all(components.map((c) => c.start()));
  } catch (e) {
    await stopAll(components, logger);
    await server.close();
    throw e;
  }
  out(`timescope-exporter ${VERSION} serving ${url}${telemetryPath}`);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await server.close();
      await stopAll(components, logger);
    })();
    return stopping;
  };
  return { url, components, server, stop };
}

/** Runs the exporter with the process arguments (the bin launcher calls it; so does `node dist/cli.js`). */
export async function main(): Promise<void> {
  let running: RunningExporter | undefined;
  try {
    running = await startExporter(process.argv.slice(2));
  } catch (e) {
    if (e instanceof FlagError) {
      process.stderr.write(`timescope-exporter: ${e.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`timescope-exporter: cannot start: ${(e as Error).message ?? String(e)}\n`);
    process.exit(1);
  }
  if (!running) return;
  const exporter = running;
  const onSignal = (signal: string): void => {
    process.stderr.write(`timescope-exporter: ${signal}, shutting down\n`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    exporter.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
}

if (require.main === module) void main();
