// The plugin interface of the exporter. A module declares its flags and creates a component; the runtime
// (runtime/supervisor.ts), registry.ts lists the modules turns sources on with --[no-]collector.<name>, hands each one its context (typed config,
// logger, health, the deploy journal), runs its probe at a rate and publishes its health. cli.ts mounts the routes on
// the one HTTP server and renders the collectors on every scrape. Sources (procfs, kubernetes, docker, git,
// webhooks) are components; so is the deploy journal.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Journal } from '../journal/journal';
import type { Logger } from '../logger';
import type { Label } from '@timescope/common';
import type { Config, FlagSpec } from './config';

export type { Config, FlagSpec, FlagType, FlagValue, FlagValues } from './config';
export type { Logger } from '../logger';

/** A sample's label set: every key is one of docs/metrics.md's label names (`Label`), so a typo does not compile. */
export type SampleLabels = Readonly<Partial<Record<Label, string>>>;

export interface Sample {
  labels: SampleLabels;
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
  /** the handler answers `Expect: 100-continue` itself (after checking credentials); otherwise the server does */
  handlesContinue?: boolean;
}

export type ProbeErrorKind = 'vanished' | 'permission' | 'malformed' | 'io';

/** What a source tells about its own probing; the runtime publishes it (timescope_source_up and friends). */
export interface HealthReport {
  /** A probe cycle finished; `ok` false means the cycle produced nothing usable. */
  cycle(ok: boolean, durationSeconds: number): void;
  error(kind: ProbeErrorKind, count?: number): void;
}

export interface Context {
  config: Config;
  logger: Logger;
  /** the hostname every series is labelled with (`host`) */
  hostname: string;
  /** this source's health, published by the runtime (components that are not sources report into the void) */
  health: HealthReport;
  /** the process's one deploy journal (opened and closed by the deploys component) */
  journal: Journal;
}

/**
 * A periodic probe. The runtime starts a cycle every `intervalSeconds` (a rate: a cycle still running when the next
 * is due makes that one skipped and counted, never queued), times it and records it in the source's health.
 */
export interface Probe {
  intervalSeconds: number;
  /** One cycle. false: it produced nothing usable (the source says why); a throw is counted by its errno kind. */
  cycle(): Promise<boolean | void>;
}

export interface Component {
  name: string;
  collectors: Collector[];
  routes?: Route[];
  /** run by the runtime after start() and stopped before stop() */
  probe?: Probe;
  start(): Promise<void>;
  /** graceful: finish in-flight work, flush to disk */
  stop(): Promise<void>;
  /** false until the component can serve (first probe done, journal replayed...) */
  ready?(): boolean;
}

/** How a source is turned on: `--[no-]collector.<name>`, or when that is not given, `implied`. */
export interface SourceSwitch {
  /** `procfs` in --collector.procfs and in timescope_source_up{source="procfs"} */
  name: string;
  /** what the source publishes, for --help */
  help: string;
  /** on by default (true), off (false), or decided by the older flags users may have (e.g. --git.repo set) */
  implied: boolean | ((config: Config) => boolean);
  /** for --help when `implied` is a function, e.g. "on when --git.repo is set" */
  impliedText?: string;
  /** a source that runs no probe cycles (webhooks): no timescope_source_up of its own */
  passive?: boolean;
}

/** A module that contributes a component: its flags, and a factory that returns undefined when flags say so. */
export interface ComponentModule {
  flags: FlagSpec[];
  /** set for sources: turned on by --[no-]collector.<name>; created only when on */
  source?: SourceSwitch;
  create(ctx: Context): Component | undefined;
}
