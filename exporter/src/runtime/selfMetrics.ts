// The exporter's metrics about itself, on prom-client: the default process and Node.js families (process_*,
// nodejs_*) and every timescope self-metric (the names of SelfMetric in common). Components still report their
// self-metrics as collector families; those are taken out of the scrape and published through the prom-client
// registry, so the self part of /metrics is written by prom-client and the topology part by the fast writer.
import { SelfMetric } from '@timescope/common';
import { collectDefaultMetrics, Registry, type MetricValue } from 'prom-client';
import type { MetricFamily } from './source';

const SELF_NAMES: ReadonlySet<string> = new Set(Object.values(SelfMetric));

export const isSelfMetric = (name: string): boolean => SELF_NAMES.has(name);

const LINTED = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/**
 * How often nodejs_eventloop_lag_* samples the event loop, ms. prom-client's default (10 ms) wakes an idle
 * exporter 100 times a second: measured here, 0.4 % of a core, the whole cost of an idle exporter. At 500 ms a
 * stall of half a second or more (a large /metrics render) is still seen whole, and shorter ones in proportion.
 */
const EVENT_LOOP_RESOLUTION_MS = 500;

/** process_* and nodejs_* are about the process: one registry for every server the process starts. */
let processRegistry: Registry | undefined;

function defaults(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, eventLoopMonitoringPrecision: EVENT_LOOP_RESOLUTION_MS });
    // gauges named like counters, which `promtool check metrics` flags; nodejs_active_{handles,requests,resources}
    // (by type) say the same
    for (const name of LINTED) processRegistry.removeSingleMetric(name);
  }
  return processRegistry;
}

type Values = MetricValue<string>[];

/** A prom-client metric whose values are the collector families of its name gathered at this scrape. */
class FamilyBridge {
  values: Values = [];

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: MetricFamily['type'],
  ) {}

  /** what the registry reads of a metric (its typings say `type` is an enum; at run time it is the text) */
  get(): Promise<{ name: string; help: string; type: string; values: Values; aggregator: 'sum' }> {
    const { name, help, type, values } = this;
    return Promise.resolve({ name, help, type, values, aggregator: 'sum' });
  }
}

export class SelfMetrics {
  private readonly registry = new Registry();
  private readonly bridges = new Map<string, FamilyBridge>();

  constructor() {
    defaults();
  }

  /**
   * Splits a scrape's families: self-metric families are handed to prom-client (merged by name, duplicate series
   * dropped) and the others returned for the fast writer. Resolves to the self part, rendered by prom-client.
   */
  async render(families: readonly MetricFamily[]): Promise<{ topology: MetricFamily[]; self: string }> {
    const topology: MetricFamily[] = [];
    for (const b of this.bridges.values()) b.values = [];
    const seen = new Set<string>();
    for (const f of families) {
      if (!isSelfMetric(f.name)) {
        topology.push(f);
        continue;
      }
      let b = this.bridges.get(f.name);
      if (!b) {
        b = new FamilyBridge(f.name, f.help, f.type);
        this.bridges.set(f.name, b);
        this.registry.registerMetric(b as never);
      }
      if (b.type !== f.type) continue;
      for (const s of f.samples) {
        const id = f.name + JSON.stringify(s.labels);
        if (seen.has(id)) continue;
        seen.add(id);
        b.values.push({ labels: { ...s.labels }, value: s.value });
      }
    }
    const [process, self] = await Promise.all([defaults().metrics(), this.registry.metrics()]);
    return { topology, self: this.bridges.size > 0 ? process + self : process };
  }
}
