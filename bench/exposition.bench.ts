// Renders 10,000 and 100,000 synthetic series (8 labels each, like timescope_process_info) with the exporter's
// exposition renderer. Prints figures beside the target; asserts nothing.
import type { MetricFamily } from '../exporter/src/runtime/source';
import { freezeFamily, renderExposition, renderExpositionBuffer } from '../exporter/src/publish/exposition';
import { gc, median } from './stats';

const TARGET_MS_100K = 300;
/** /work/shared/reference.md: prom-client renders 100k series of 8 labels in 0.4-0.6 s on this machine */
const PEER_MS_100K = { low: 400, high: 600 };

function synthetic(series: number): MetricFamily[] {
  const perFamily = Math.ceil(series / 10);
  const families: MetricFamily[] = [];
  for (let f = 0; f < 10 && f * perFamily < series; f++) {
    const samples = [];
    for (let i = 0; i < perFamily && f * perFamily + i < series; i++) {
      samples.push({
        labels: {
          node: `process:host-${i % 50}/service-${i}[${8000 + (i % 1000)}]`,
          kind: 'process',
          name: `service-${i}`,
          host: `host-${i % 50}`,
          namespace: '',
          parent: `host:host-${i % 50}`,
          user: i % 7 === 0 ? 'root' : 'app',
          cmdline: `/usr/bin/service-${i} --port=${8000 + (i % 1000)} --config="/etc/svc/${i}.yaml"`,
        },
        value: i % 3 === 0 ? 1 : i * 1.5,
      });
    }
    families.push({ name: `timescope_bench_family_${f}`, help: `synthetic family ${f}`, type: 'gauge', samples });
  }
  return families;
}

interface Figures {
  medianMs: number;
  cpuMs: number;
  maxMs: number;
  bytes: number;
  heapMB: number;
}

/** Renders `runs` times; without `freeze` the families are rebuilt (unfrozen) before each run, as a new probe would. */
function measure(series: number, runs: number, freeze: boolean): Figures {
  const build = (): MetricFamily[] => (freeze ? synthetic(series).map(freezeFamily) : synthetic(series));
  renderExposition(build()); // warm-up (JIT)
  const walls: number[] = [];
  const cpus: number[] = [];
  let bytes = 0;
  let heap = 0;
  const families = build();
  if (freeze) renderExposition(families); // the first scrape after a probe renders; later ones reuse
  for (let r = 0; r < runs; r++) {
    const input = freeze ? families : build();
    gc();
    const h0 = process.memoryUsage().heapUsed;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const body = renderExpositionBuffer(input);
    walls.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpus.push((c.user + c.system) / 1000);
    bytes = body.length;
    heap = Math.max(heap, process.memoryUsage().heapUsed - h0);
  }
  return { medianMs: median(walls), cpuMs: median(cpus), maxMs: Math.max(...walls), bytes, heapMB: heap / 2 ** 20 };
}

console.log('exposition render (8 labels per series; nothing asserted)');
for (const series of [10_000, 100_000]) {
  for (const cached of [false, true]) {
    const m = measure(series, series > 10_000 ? 7 : 15, cached);
    const target =
      series === 100_000
        ? `target < ${TARGET_MS_100K} ms: ${(m.medianMs / TARGET_MS_100K).toFixed(2)}x of it; ` +
          `prom-client ${PEER_MS_100K.low}-${PEER_MS_100K.high} ms: ` +
          `${(PEER_MS_100K.low / m.medianMs).toFixed(1)}-${(PEER_MS_100K.high / m.medianMs).toFixed(1)}x faster`
        : 'no target';
    const what = cached ? 'unchanged snapshot (cached)' : 'new snapshot';
    console.log(
      `  ${series.toLocaleString('en').padStart(7)} series, ${what.padEnd(27)}: median ${m.medianMs.toFixed(1)} ms ` +
        `wall, ${m.cpuMs.toFixed(1)} ms CPU, max ${m.maxMs.toFixed(1)} ms; ${(m.bytes / 2 ** 20).toFixed(1)} MiB body, ` +
        `+${m.heapMB.toFixed(0)} MiB heap  (${target})`,
    );
  }
}
