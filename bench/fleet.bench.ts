// A 20-host simulated fleet over 30 days: 20 real exporters, each reading its own synthetic procfs tree
// (e2e/scaleout/fleet.ts: a service, local clients, a remote call), scraped in three phases (a batch job on some
// hosts, a client gone on others, a service gone), the scrapes' samples backfilled over 30 days into a real
// VictoriaMetrics (phase 0 for 12 days, phase 1 for 8, phase 2 for 10), the presence rule replayed by vmalert.
// Prints the wall time, requests and bytes of the datasource's real core rebuilding the process and host views over
// the 30 days, with and without the rule, beside the issue's target (under 2 s). Asserts nothing.
//
//   node -r ./scripts/register-swc.js bench/fleet.bench.ts
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PRESENCE_RULE_METRICS, presenceRuleGroup } from '../common/src/presenceRule';
import { startVictoriaMetrics } from '../common/src/testing/victoriaMetrics';
import { replayVmalert } from '../common/src/testing/vmalert';
import type { View } from '../datasource-plugin/src/core/query';
import { startFleet, type HostPhase } from '../e2e/scaleout/fleet';
import { timedRangeRead } from './rangeRead';

const HOSTS = Array.from({ length: 20 }, (_, i) => `fleet-${String(i).padStart(2, '0')}`);
const DAY = 86_400;
/** one sample every 10 minutes per series (the rule evaluated as often): 30 days of a 15 s scrape would be 40x more */
const SPACING_S = 600;
const OFFSET_S = 17;
const END = Math.floor(Date.now() / 1000 / DAY) * DAY - DAY;
const START = END - 30 * DAY;
/** the days each phase lasts */
const PHASE_DAYS = [12, 8, 10];
const TARGET_MS = 2000;

/** host h in phase p */
function hostPhase(h: number, p: number): HostPhase {
  const peer = { name: 'caller', address: `10.99.1.${((h + 1) % HOSTS.length) + 1}`, port: 8000 };
  const service = { name: `svc${h}`, port: 8000 };
  if (p === 0) return { service, clients: ['cli', 'worker'], remote: peer };
  if (p === 1) return { service, clients: h % 3 === 0 ? ['cli', 'worker', 'batch'] : ['cli'], remote: peer };
  return h % 5 === 0 ? { clients: [] } : { service, clients: ['cli', 'worker'] };
}

/** The sample lines of one scrape (`name{labels} value`), with the labels a scrape adds. */
function sampleLines(text: string, host: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('timescope_') || line.startsWith('timescope_exporter')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{.*\})?\s+(\S+)$/.exec(line);
    if (!m) continue;
    const inner = m[2] ? m[2].slice(1, -1) : '';
    const extra = `job="timescope",instance="${host}"`;
    out.push(`${m[1]}{${inner ? `${inner},` : ''}${extra}} ${m[3]}`);
  }
  return out;
}

const ms = (x: number): string => `${x.toFixed(0)} ms`;
const mb = (b: number): string => `${(b / 1e6).toFixed(2)} MB`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'timescope-fleet-bench-'));
  const stop: Array<() => Promise<void>> = [];
  try {
    let t0 = performance.now();
    const phases = PHASE_DAYS.map((_, p) => HOSTS.map((_, h) => hostPhase(h, p)));
    const fleet = await startFleet(HOSTS, phases);
    stop.push(() => fleet.stop());
    const scrapes: string[][] = [];
    for (let p = 0; p < phases.length; p++) {
      fleet.enter(p);
      // two probe intervals of the exporters (1 s): every host has read its new tree
      await new Promise((r) => setTimeout(r, 2500));
      const lines: string[] = [];
      for (const h of fleet.hosts) {
        const text = await (await fetch(`http://${h.target}/metrics`)).text();
        lines.push(...sampleLines(text, h.name));
      }
      scrapes.push(lines);
    }
    await stop.pop()?.();
    const scraped = performance.now() - t0;

    t0 = performance.now();
    const file = join(dir, 'history.om');
    const out = createWriteStream(file);
    const write = (x: string): Promise<void> | void => {
      if (!out.write(x)) return new Promise((r) => out.once('drain', () => r()));
    };
    let samples = 0;
    let from = START;
    for (const [p, days] of PHASE_DAYS.entries()) {
      const to = Math.min(END, from + days * DAY);
      const lines = scrapes[p] ?? [];
      for (let t = from + OFFSET_S; t < to; t += SPACING_S) {
        await write(lines.map((l) => `${l} ${t}\n`).join(''));
        samples += lines.length;
      }
      from = to;
    }
    await write('# EOF\n');
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    const vm = await startVictoriaMetrics({ flags: ['-search.maxQueryDuration=5m'] });
    stop.push(() => vm.stop());
    await vm.importOpenMetricsFile(file);
    await vm.flush();
    const rules = join(dir, 'presence.yml');
    writeFileSync(rules, presenceRuleGroup(SPACING_S, { bounds: 'left-open' }));
    await replayVmalert({
      datasourceUrl: vm.url,
      remoteWriteUrl: vm.url,
      rules: [rules],
      evalInterval: `${SPACING_S}s`,
      fromSec: START,
      toSec: END + 2 * SPACING_S,
    });
    await vm.flush();
    const loaded = performance.now() - t0;

    const series = new Set(scrapes.flat().map((l) => l.slice(0, l.lastIndexOf(' ')))).size;
    console.log(
      `fleet bench: ${HOSTS.length} exporters on synthetic procfs trees, scraped in ${phases.length} phases (${ms(scraped)}), ` +
        `${series} series (${PRESENCE_RULE_METRICS.length} families recorded by the presence rule) backfilled over 30 days ` +
        `(phases of ${PHASE_DAYS.join(', ')} days), one sample every ${SPACING_S / 60} minutes (${samples.toLocaleString('en')} samples), ` +
        `into VictoriaMetrics with the rule replayed by vmalert in ${ms(loaded)}`,
    );
    console.log(
      `machine: ${cpus().length} cores, load ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} (shared)`,
    );
    const fromMs = START * 1000;
    const toMs = END * 1000;
    for (const view of ['process', 'host'] as View[]) {
      for (const rule of [true, false]) {
        const {
          wallMs: wall,
          requests,
          bytes,
          result: r,
        } = await timedRangeRead(vm.url, {
          view,
          fromMs,
          toMs,
          scrapeIntervalMs: SPACING_S * 1000,
          usePresenceRule: rule,
        });
        const timeline = r.frames.find((f) => f.name === 'timeline');
        console.log(
          `   30 d, ${view.padEnd(7)} view, ${rule ? 'with the rule   ' : 'without the rule'} ${ms(wall).padStart(9)}  ` +
            `${String(requests).padStart(3)} requests  ${mb(bytes).padStart(9)}  ` +
            `${r.frames[0]?.length ?? 0} nodes, ${r.frames[1]?.length ?? 0} edges, ${timeline?.length ?? 0} timeline rows` +
            `${r.error ? `  ERROR: ${(r.error.message ?? '').slice(0, 200)}` : ''}   (target < ${TARGET_MS} ms: ${(wall / TARGET_MS).toFixed(2)}x)`,
        );
      }
    }
  } finally {
    for (const s of stop.reverse()) await s();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
