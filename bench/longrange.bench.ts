// Long ranges: the topology of 1,000 service nodes and 5,000 edges over 24 hours, 7 days and 30 days, rebuilt by the
// datasource's real core over the fetch client, on a real Prometheus (backfilled with promtool) and a real
// VictoriaMetrics (imported the same samples), each with and without the presence rule. Prints wall time, requests
// and bytes beside the issue's target (with the rule: under 2 s over 7 and 30 days, a constant number of requests),
// and the ratios between the four. Asserts nothing.
// Loading is kept short (promtool's backfill of the history and of the rule once took more than 24 minutes under
// load; now about 4 minutes): one OpenMetrics file per 2-hour block (promtool re-reads its whole input for every
// block it writes: a file per day was read 12 times), two promtool runs at a time, and the presence rule evaluated once by vmalert's replay on VictoriaMetrics (a range query per
// rule, where promtool's rule backfill sends one per rule per 2-hour block), its records then backfilled into
// Prometheus beside the raw samples (e2e/scaleout/vmalertRules.test.ts shows both rulers record the same changes).
//
//   node -r ./scripts/register-swc.js bench/longrange.bench.ts
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubernetesMetric, Metric } from '../common/src/metrics';
import { lookbackLabel } from '../common/src/lookback';
import { PRESENCE_CHANGES, PRESENCE_RULE_EVALUATIONS, presenceRuleGroup } from '../common/src/presenceRule';
import { startPrometheus } from '../common/src/testing/prometheus';
import { startVictoriaMetrics, type RunningVictoriaMetrics } from '../common/src/testing/victoriaMetrics';
import { replayVmalert } from '../common/src/testing/vmalert';
import type { PromMatrixSeries } from '../datasource-plugin/src/core/promClient';
import { seededRandom } from '@timescope/common/testing';
import { timedRangeRead } from './rangeRead';

const NODES = 1_000;
const EDGES = 5_000;
const NAMESPACES = 20;
const H = 3600;
const DAY = 24 * H;
/**
 * One sample every 2 hours per series over 30 days (2.2M samples: a 15 s scrape would be 1 billion, more than a bench
 * can backfill here in minutes). The queries read it as a 2-hour scrape: lookback 4 hours, the rule evaluated every
 * 2 hours. The samples
 * lie 17 s after the rule's evaluation instants, so that no sample sits on a window's edge, where Prometheus 2.x
 * (closed) and VictoriaMetrics (left-open) differ: the rule evaluated once serves both stores.
 */
const SPACING_S = 2 * H;
const OFFSET_S = 17;
const END = Math.floor(Date.now() / 1000 / DAY) * DAY - DAY;
const START = END - 30 * DAY;
const TARGET_MS = 2000;
const RANGES = [
  { name: '24 h', s: DAY },
  { name: '7 d', s: 7 * DAY },
  { name: '30 d', s: 30 * DAY },
];

interface Series {
  prefix: string;
  from: number;
  to: number;
}

const svc = (i: number): string => `service:ns-${i % NAMESPACES}/svc-${i}`;

/** 1,000 services and 5,000 edges; a tenth of the services and a quarter of the edges live for a few days. */
function history(): Series[] {
  const r = seededRandom(17);
  const span = (share: number): { from: number; to: number } => {
    if (r() >= share) return { from: START, to: END + 1 };
    const from = START + Math.floor(r() * 30 * DAY);
    return { from, to: from + Math.floor((1 + r() * 5) * DAY) };
  };
  const out: Series[] = [];
  for (let i = 0; i < NODES; i++) {
    const l = `node="${svc(i)}",kind="service",name="svc-${i}",host="",namespace="ns-${i % NAMESPACES}",parent="namespace:ns-${i % NAMESPACES}"`;
    out.push({ prefix: `${KubernetesMetric.ServiceInfo}{${l}} 1 `, ...span(0.1) });
  }
  const seen = new Set<string>();
  while (seen.size < EDGES) {
    const [a, b] = [Math.floor(r() * NODES), Math.floor(r() * NODES)];
    if (a === b || seen.has(`${a}-${b}`)) continue;
    seen.add(`${a}-${b}`);
    const l = `kind="service",source="${svc(a)}",target="${svc(b)}",port="8080",host=""`;
    out.push({ prefix: `${Metric.EdgeConnections}{${l}} ${1 + (seen.size % 7)} `, ...span(0.25) });
  }
  return out;
}

/**
 * One OpenMetrics file per 2-hour block (promtool re-reads its whole input for every block it writes, so a file
 * holding one block is read once).
 */
async function writeOpenMetrics(dir: string): Promise<{ files: string[]; samples: number }> {
  const all = history();
  const families = [KubernetesMetric.ServiceInfo, Metric.EdgeConnections].map((m) => ({
    metric: m,
    list: all.filter((s) => s.prefix.startsWith(`${m}{`)),
  }));
  const BLOCK = 2 * H;
  const files: string[] = [];
  let samples = 0;
  for (let block = START; block <= END; block += BLOCK) {
    const file = join(dir, `block-${block}.om`);
    const out = createWriteStream(file);
    const write = (s: string): Promise<void> | void => {
      if (!out.write(s)) return new Promise((r) => out.once('drain', () => r()));
    };
    let any = false;
    for (const { metric, list } of families) {
      await write(`# TYPE ${metric} gauge\n`);
      let buf = '';
      for (const s of list) {
        for (let t = block + OFFSET_S; t < block + BLOCK && t <= END; t += SPACING_S) {
          if (t < s.from || t >= s.to) continue;
          buf += `${s.prefix}${t}\n`;
          samples++;
          any = true;
        }
        if (buf.length > 1 << 20) {
          await write(buf);
          buf = '';
        }
      }
      await write(buf);
    }
    await write('# EOF\n');
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    if (any) files.push(file);
    else rmSync(file);
  }
  return { files, samples };
}

/** Runs `jobs` with at most `n` at a time. */
async function pool<T>(items: readonly T[], n: number, job: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await job(items[next++] as T);
  };
  await Promise.all(Array.from({ length: n }, worker));
}

/**
 * The presence rule group with the rules of this history's metrics only: promtool evaluates every rule over every
 * 2-hour block of the 30 days, and the rules of absent metrics record nothing (a Prometheus evaluating the whole
 * group live records the same series).
 */
function ruleGroupOfHistory(): string {
  const present = [KubernetesMetric.ServiceInfo, Metric.EdgeConnections] as string[];
  const lines = presenceRuleGroup(SPACING_S, { bounds: 'left-open' }).split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /timescope_metric: ([\w:]+)/.exec(lines[i + 1] ?? '');
    if (lines[i].includes(`record: ${PRESENCE_CHANGES}`) && m && !present.includes(m[1])) {
      i += 2;
      continue;
    }
    out.push(lines[i]);
  }
  return out.join('\n');
}

/**
 * The rule's series as vmalert recorded them on VictoriaMetrics, as OpenMetrics for Prometheus: its evaluations
 * labelled with the closed (Prometheus 2.x) lookback, the one the datasource asks of Prometheus. The samples lie 17 s
 * off every window's edge, so both renderings record the same changes.
 */
async function ruleSeries(vm: RunningVictoriaMetrics): Promise<string> {
  const lines: string[] = [];
  for (const name of [PRESENCE_CHANGES, PRESENCE_RULE_EVALUATIONS]) {
    const r = await vm.api<{ result: PromMatrixSeries[] }>('query', {
      query: `{__name__="${name}"}[${31 * DAY}s]`,
      time: END + 2 * SPACING_S,
    });
    lines.push(`# TYPE ${name.replace(/:/g, '_')} gauge`);
    for (const s of r.result) {
      const { __name__: n, ...labels } = s.metric;
      if (labels.lookback) labels.lookback = lookbackLabel(SPACING_S * 1000, 'closed');
      const l = Object.entries(labels)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',');
      for (const [t, v] of s.values) lines.push(`${n}{${l}} ${v} ${t}`);
    }
  }
  return `${lines.join('\n')}\n# EOF\n`;
}

interface Figures {
  wallMs: number;
  requests: number;
  bytes: number;
  error?: string;
  nodes: number;
  edges: number;
  warnings: string[];
}

async function measure(url: string, rangeS: number, rule: boolean): Promise<Figures> {
  const {
    wallMs,
    requests,
    bytes,
    result: r,
  } = await timedRangeRead(url, {
    view: 'service',
    fromMs: (END - rangeS) * 1000,
    toMs: END * 1000,
    scrapeIntervalMs: SPACING_S * 1000,
    usePresenceRule: rule,
  });
  return {
    wallMs,
    requests,
    bytes,
    ...(r.error ? { error: (r.error.message ?? '').slice(0, 200) } : {}),
    nodes: r.frames[0]?.length ?? 0,
    edges: r.frames[1]?.length ?? 0,
    warnings: (r.frames[0]?.meta?.notices ?? []).map((n) => n.text),
  };
}

const ms = (x: number): string => `${x.toFixed(0)} ms`;
const mb = (b: number): string => `${(b / 1e6).toFixed(2)} MB`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'timescope-longrange-'));
  const stop: Array<() => Promise<void>> = [];
  try {
    let t0 = performance.now();
    const { files, samples } = await writeOpenMetrics(dir);
    const written = performance.now() - t0;
    // VictoriaMetrics first: it imports the samples in seconds, and vmalert's replay records the rule there
    t0 = performance.now();
    const vm = await startVictoriaMetrics({ flags: ['-search.maxQueryDuration=5m'] });
    stop.push(() => vm.stop());
    await pool(files, 2, (f) => vm.importOpenMetricsFile(f));
    await vm.flush();
    const vmLoaded = performance.now() - t0;
    t0 = performance.now();
    const ruleDir = join(dir, 'rule');
    mkdirSync(ruleDir);
    const ruleYml = join(ruleDir, 'presence.yml');
    writeFileSync(ruleYml, ruleGroupOfHistory());
    await replayVmalert({
      datasourceUrl: vm.url,
      remoteWriteUrl: vm.url,
      rules: [ruleYml],
      evalInterval: `${SPACING_S}s`,
      fromSec: START,
      toSec: END + 2 * SPACING_S,
    });
    await vm.flush();
    const ruleFile = join(ruleDir, 'rule.om');
    writeFileSync(ruleFile, await ruleSeries(vm));
    const replayed = performance.now() - t0;
    // Prometheus: the blocks written by promtool two at a time into one data folder, then started on it
    t0 = performance.now();
    const prom = await startPrometheus({ openMetricsFiles: [...files, ruleFile], backfillConcurrency: 2 });
    stop.push(() => prom.stop());
    const promLoaded = performance.now() - t0;
    console.log(
      `long-range bench: ${NODES.toLocaleString('en')} service nodes, ${EDGES.toLocaleString('en')} edges over 30 days ` +
        `(a tenth of the nodes and a quarter of the edges live 1-6 days)`,
    );
    console.log(
      `history: one sample every 2 hours per series (${samples.toLocaleString('en')} samples; a 15 s scrape would be 1 billion), written in ${ms(written)}; ` +
        `VictoriaMetrics imported them in ${ms(vmLoaded)}; vmalert replayed the presence rule (every 2 hours over 30 days) and its records were read back in ${ms(replayed)}; ` +
        `promtool backfilled Prometheus with the samples and the rule's records (${files.length + 1} files, two at a time) in ${ms(promLoaded)}`,
    );
    console.log(
      `queries: range mode, the real datasource core over the fetch client; step as Grafana picks it for 1,000 points (never finer than the 2-hour spacing); ` +
        `machine: ${cpus().length} cores, load ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')} (shared)`,
    );
    const stores = [
      { name: 'Prometheus 2.42', url: prom.url },
      { name: 'VictoriaMetrics', url: vm.url },
    ];
    /** requests with the rule, per store, range by range */
    const ruleRequests = new Map<string, number[]>();
    for (const range of RANGES) {
      console.log(`-- ${range.name}`);
      const row = new Map<string, Figures>();
      for (const s of stores) {
        for (const rule of [true, false]) {
          const f = await measure(s.url, range.s, rule);
          const key = `${s.name} ${rule ? 'with the rule' : 'without the rule'}`;
          row.set(key, f);
          if (rule) ruleRequests.set(s.name, [...(ruleRequests.get(s.name) ?? []), f.requests]);
          const target =
            rule && range.s > DAY ? `   (target < ${TARGET_MS} ms: ${(f.wallMs / TARGET_MS).toFixed(2)}x)` : '';
          console.log(
            `   ${key.padEnd(40)} ${ms(f.wallMs).padStart(9)}  ${String(f.requests).padStart(3)} requests  ${mb(f.bytes).padStart(9)}  ` +
              `${f.nodes} nodes, ${f.edges} edges${f.error ? `  ERROR: ${f.error}` : ''}${target}`,
          );
          for (const w of f.warnings) console.log(`      warning: ${w}`);
        }
      }
      const at = (k: string): number => row.get(k)?.wallMs ?? NaN;
      console.log(
        `   ratios: Prometheus without/with the rule ${(at('Prometheus 2.42 without the rule') / at('Prometheus 2.42 with the rule')).toFixed(1)}x, ` +
          `VictoriaMetrics without/with ${(at('VictoriaMetrics without the rule') / at('VictoriaMetrics with the rule')).toFixed(1)}x, ` +
          `Prometheus/VictoriaMetrics with the rule ${(at('Prometheus 2.42 with the rule') / at('VictoriaMetrics with the rule')).toFixed(1)}x, ` +
          `without ${(at('Prometheus 2.42 without the rule') / at('VictoriaMetrics without the rule')).toFixed(1)}x`,
      );
    }
    for (const [name, counts] of ruleRequests) {
      const constant = new Set(counts).size === 1;
      console.log(
        `requests with the rule on ${name} over ${RANGES.map((r) => r.name).join(', ')}: ${counts.join(', ')} ` +
          `(target: a constant number: ${constant ? 'met' : 'MISSED'})`,
      );
    }
  } finally {
    for (const s of stop) await s();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
