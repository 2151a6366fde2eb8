// How the exporter is put together: cli.ts parses the flags of every component, creates the components, mounts
// their routes on the one HTTP server and renders their collectors on every scrape. Sources (procfs, kubernetes,
// docker, git, webhooks) are components; so is the deploy journal.
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface Sample {
  labels: Readonly<Record<string, string>>;
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  samples: Sample[];
}

/** Called on every scrape: must be cheap and must return the last complete snapshot, never a half-built one. */
export interface Collector {
  collect(): MetricFamily[];
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** exact path, e.g. `/hooks/github` */
  path: string;
  handler: Handler;
}

export type FlagType = 'string' | 'int' | 'duration' | 'bool';
export type FlagValue = string | number | boolean | undefined;

export interface FlagSpec {
  /** Prometheus-style dotted name without dashes, e.g. `git.repo` (given as `--git.repo=...`) */
  name: string;
  help: string;
  type: FlagType;
  /** default as it would be written on the command line (`15s`, `/proc`); undefined for none */
  default?: string;
}

/** Parsed flags: strings, ints, durations in seconds, bools; undefined when unset without default. */
export type Config = Readonly<Record<string, FlagValue>>;

export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export interface Context {
  config: Config;
  logger: Logger;
  /** the hostname every series is labelled with (`host`) */
  hostname: string;
}

export interface Component {
  name: string;
  collectors: Collector[];
  routes?: Route[];
  start(): Promise<void>;
  /** graceful: finish in-flight work, flush to disk */
  stop(): Promise<void>;
  /** false until the component can serve (first probe done, journal replayed...) */
  ready?(): boolean;
}

/** A module that contributes a component: its flags, and a factory that returns undefined when disabled by flags. */
export interface ComponentModule {
  flags: FlagSpec[];
  create(ctx: Context): Component | undefined;
}
