// Deploy-event ingestion with the flush to disk, and the /metrics cost of a full journal. Starts the exporter CLI as
// a child process (from source) with a temporary --events.path and the rate limiter off, POSTs events to
// /api/v1/deploys over loopback (first one at a time, then with concurrency: the journal writes each batch with
// one synchronous write), prints events per second, p50/p99 latency and the exporter's CPU per event; then, with
// 10,000 events retained, the time and size of GET /metrics and of the in-process render. During the concurrent
// run /metrics is scraped throughout, and the figures are printed beside issue 15's targets; at the end, the scrape
// latency of the HTTP edge before (node:http) and after (express + prom-client), and the CPU of a webhook on
// express served by plain node:http (express re-prototypes every request) against the exporter's server (requests
// born with express's prototypes). The concurrent run is done twice: saturating (32 senders back to back: the
// highest rate) and paced at issue 15's 1,000 events/s (open loop, bench/openLoop.ts: requests start on a schedule,
// at most 32 in flight, latency from the scheduled start, late starts counted). Nothing is asserted; the exporter
// and the temporary folder are removed on the way out, even on error.
//
// The load generator shares the exporter's two cores, so it is kept light: one keep-alive socket per concurrent
// sender writing each request as one buffer (bench/keepAliveClient.ts; node:http's client cost 0.05-0.09 ms of CPU per
// request here, about half the exporter's), and a scraper on a thread of its own reading each answer to its last
// byte and dropping it. The measured run comes after 2,000 events at full concurrency (not counted): the exporter's
// first few thousand requests run unoptimized code at about twice the CPU per event of a warm one.
//
//   node --expose-gc -r ./scripts/register-swc.js bench/deploys.bench.ts
//   BENCH_DEPLOYS_EVENTS=10000 BENCH_DEPLOYS_CONCURRENCY=32 (the defaults); BENCH_DEPLOYS_EVENTS=30000 for the
//   issue-15 figure of the deploy series kept per event; BENCH_DEPLOYS_CLIENT=node for node:http's client,
//   BENCH_DEPLOYS_WARMUP=<events> (2000), BENCH_DEPLOYS_SCRAPE=0 for ingestion alone, BENCH_DEPLOYS_INGEST_ONLY=1 to
//   stop after the ingestion figures
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { JOURNAL_FILE_NAME } from '../exporter/src/journal';
import { Journal } from '../exporter/src/journal/journal';
import type { Logger } from '../exporter/src/runtime/source';
import { CONTENT_TYPE, renderExpositionBuffer } from '../exporter/src/publish/exposition';
import { createAppServer, sendText } from '../exporter/src/runtime/http';
import { createWebhooks } from '../exporter/src/sources/webhooks';
import { BearerTokens, HmacSecrets } from '../exporter/src/sources/webhooks/credentials';
import express from 'express';
import type { Server } from 'node:http';
import { SelfMetrics } from '../exporter/src/runtime/selfMetrics';
import { createExporterServer } from '../exporter/src/server';
import { DeploySeries } from '../exporter/src/publish/deploys/deploySeries';
import { startExporterProcess, type ExporterProcess } from '../exporter/src/testutil/exporterProcess';
import { KeepAliveConnection } from './keepAliveClient';
import { runOpenLoop } from './openLoop';
import { gc, quantile } from './stats';

const env = (name: string, dflt: number): number => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : dflt;
};
const EVENTS = env('BENCH_DEPLOYS_EVENTS', 10_000);
const CONCURRENCY = env('BENCH_DEPLOYS_CONCURRENCY', 32);
const SEQUENTIAL = Math.min(500, Math.floor(EVENTS / 10));
/** the paced run: events offered per second on a schedule (open loop), for this many seconds, after the others */
const RATE = env('BENCH_DEPLOYS_RATE', 1000);
const PACED = RATE * env('BENCH_DEPLOYS_PACED_SECONDS', 8);
/** events retained at the end: both runs' */
const TOTAL = EVENTS + PACED;
/** events posted at full concurrency before the measured run (not counted), so it measures warm code */
const WARMUP = Math.min(
  /^\d+$/.test(process.env.BENCH_DEPLOYS_WARMUP ?? '') ? Number(process.env.BENCH_DEPLOYS_WARMUP) : 2000,
  Math.floor(EVENTS / 5),
);
/** `node`: node:http's client (about as heavy per request as the server); default: the lean keep-alive client */
const NODE_CLIENT = process.env.BENCH_DEPLOYS_CLIENT === 'node';
const TOKEN = 'bench-token';
const DAY_S = 86_400;

const f1 = (x: number): string => x.toFixed(1);
const f3 = (x: number): string => x.toFixed(3);

/** The i-th event: 200 workloads in 5 namespaces, spread over the last 29 days (inside the 30-day retention). */
function event(i: number, now: number): Record<string, unknown> {
  const startedAt = now / 1000 - 29 * DAY_S + (i * 29 * DAY_S) / TOTAL;
  const revision = (i.toString(16).padStart(8, '0') + 'c0ffee1234567890abcdef0123456789').slice(0, 40);
  return {
    namespace: `team-${i % 5}`,
    workload: `service-${i % 200}`,
    revision,
    version: `1.${Math.floor(i / 200)}.${i % 200}`,
    author: `dev${i % 17}@example.org`,
    message: `release ${i}: bump dependencies\n\nlonger body of the commit message`,
    url: `https://ci.example.org/pipelines/${i}`,
    status: 'succeeded',
    startedAt: Math.round(startedAt * 1000) / 1000,
    finishedAt: Math.round((startedAt + 42) * 1000) / 1000,
  };
}

interface Answer {
  status: number;
  ms: number;
}

function post(agent: Agent, port: number, body: string): Promise<Answer> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/v1/deploys',
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
          Authorization: `Bearer ${TOKEN}`,
        },
      },
      (res) => {
        res.resume();
        res.once('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0 }));
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}

/** CPU seconds the exporter process has used so far (utime + stime of /proc/<pid>/stat). */
function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

// The scraper runs on a thread of its own, as Prometheus is a process of its own: reading a 6 MiB body would
// otherwise stall this load generator's event loop, and every request in flight would count that stall as exporter
// latency. It still runs on the same cores, so its CPU competes with the exporter's: it reads each answer to its last
// byte over a keep-alive connection and drops the bytes (Prometheus parses them on a host of its own). fetch() and a
// text decode cost 8-28 ms of CPU per 6 MiB scrape here, node:http's chunks dropped 3-5 ms.
const SCRAPER = `
const { get, Agent } = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
let done = false;
parentPort.once('message', () => (done = true));
const scrape = () =>
  new Promise((resolve, reject) => {
    get(workerData.url + '/metrics', { agent }, (res) => {
      res.on('data', () => undefined);
      res.once('end', resolve);
      res.once('error', reject);
    }).once('error', reject);
  });
(async () => {
  const ms = [];
  while (!done) {
    const t0 = performance.now();
    await scrape();
    ms.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 50));
  }
  agent.destroy();
  parentPort.postMessage(ms);
})();
`;

/** GET /metrics one after the other (on a thread of its own) until `until` resolves; the latency of each. */
async function scrapeThroughout(url: string, until: Promise<void>): Promise<number[]> {
  const scraper = new Worker(SCRAPER, { eval: true, workerData: { url } });
  try {
    const result = new Promise<number[]>((resolve, reject) => {
      scraper.once('message', resolve);
      scraper.once('error', reject);
    });
    await until;
    scraper.postMessage('stop');
    return await result;
  } finally {
    await scraper.terminate();
  }
}

/** Posts events on `concurrency` keep-alive connections, by node:http's client or the lean one. */
interface Sender {
  post(body: string): Promise<Answer>;
  close(): void;
}

function senders(port: number, concurrency: number): Sender[] {
  if (NODE_CLIENT) {
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    const send = { post: (body: string) => post(agent, port, body), close: () => agent.destroy() };
    return Array.from({ length: concurrency }, () => send);
  }
  const headers = { Authorization: `Bearer ${TOKEN}` };
  return Array.from({ length: concurrency }, () => {
    const c = new KeepAliveConnection(port);
    return { post: (body: string) => c.post('/api/v1/deploys', body, headers), close: () => c.close() };
  });
}

/** What one run measured: latencies, answers, and what the exporter spent meanwhile. */
interface Run {
  count: number;
  seconds: number;
  /** per request (ms): from sent for the closed loop, from scheduled start for the paced one */
  ms: number[];
  codes: Map<number, number>;
  /** exporter CPU seconds */
  cpu: number;
  /** this process's CPU seconds (load generator and scraper thread) */
  client: number;
  /** scrape latencies during the run (ms), none when not scraped */
  scrapes: number[];
  /** journal writes during the run (NaN when not asked) */
  flushes: number;
  load: string;
  /** paced run only: requests due while every sender was busy, and the start lag p99 (ms) */
  late?: number;
  startLagP99?: number;
}

type Drive = (sending: Sender[], now: number) => Promise<Pick<Run, 'ms' | 'codes' | 'late' | 'startLagP99'>>;

/** Runs `drive` on `concurrency` connections, with the exporter's CPU, journal writes and (when asked) scrapes. */
async function measure(ex: ExporterProcess, count: number, concurrency: number, scraped: boolean, drive: Drive) {
  const sending = senders(ex.port, concurrency);
  const flushes0 = scraped ? await flushesOf(ex.url) : NaN;
  const cpu0 = cpuSecondsOf(ex.child.pid ?? 0);
  const client0 = process.cpuUsage();
  const t0 = performance.now();
  const load = drive(sending, Date.now());
  const scraping =
    scraped && process.env.BENCH_DEPLOYS_SCRAPE !== '0'
      ? scrapeThroughout(
          ex.url,
          load.then(() => undefined),
        )
      : undefined;
  const driven = await load;
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuSecondsOf(ex.child.pid ?? 0) - cpu0;
  const client = process.cpuUsage(client0);
  const loadAvg = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
  const scrapes = (await scraping) ?? [];
  const flushes = scraped ? (await flushesOf(ex.url)) - flushes0 : NaN;
  for (const sender of sending) sender.close();
  return {
    ...driven,
    count,
    seconds,
    cpu,
    client: (client.user + client.system) / 1e6,
    scrapes,
    flushes,
    load: loadAvg,
  };
}

/** Closed loop: every sender posts its next event as soon as its last is answered (the server's maximum rate). */
function closedLoop(from: number, count: number): Drive {
  return async (sending, now) => {
    const answers: Answer[] = [];
    let next = from;
    const worker = async (sender: Sender): Promise<void> => {
      while (next < from + count) answers.push(await sender.post(JSON.stringify(event(next++, now))));
    };
    await Promise.all(sending.map(worker));
    const codes = new Map<number, number>();
    for (const a of answers) codes.set(a.status, (codes.get(a.status) ?? 0) + 1);
    return { ms: answers.map((a) => a.ms), codes };
  };
}

/** Open loop: RATE events per second on a schedule, at most one per sender in flight (bench/openLoop.ts). */
function pacedLoop(from: number, count: number): Drive {
  return async (sending, now) => {
    const r = await runOpenLoop({
      count,
      ratePerS: RATE,
      senders: sending,
      send: async (sender, i) => (await sender.post(JSON.stringify(event(from + i, now)))).status,
    });
    return { ms: r.ms, codes: r.codes, late: r.late, startLagP99: quantile(r.startLagMs, 0.99) };
  };
}

function ingest(ex: ExporterProcess, from: number, count: number, concurrency: number): Promise<Run> {
  return measure(ex, count, concurrency, false, closedLoop(from, count));
}

function showRun(label: string, run: Run, concurrency: number): void {
  const ms = run.ms;
  console.log(
    `  ${label}: ${String(run.count).padStart(6)} events, concurrency ${String(concurrency).padStart(3)}: ` +
      `${f1(run.count / run.seconds)} events/s, latency p50 ${f1(quantile(ms, 0.5))} ms, p99 ` +
      `${f1(quantile(ms, 0.99))} ms, max ${f1(Math.max(...ms))} ms; exporter CPU ${f3((run.cpu * 1000) / run.count)} ` +
      `ms per event (this client's, scraper included, ${f3((run.client * 1000) / run.count)} ms, on the same ` +
      `cores); answers ${[...run.codes].map(([c, n]) => `${c}: ${n}`).join(', ')}; load ${run.load}`,
  );
  if (run.late !== undefined) {
    console.log(
      `    ${run.late} events due while all ${concurrency} senders were busy (late: timed from their scheduled ` +
        `start all the same); start lag p99 ${f1(run.startLagP99 ?? NaN)} ms (this process's timers)`,
    );
  }
  if (!Number.isNaN(run.flushes)) {
    console.log(
      `    group commit: ${run.flushes} synchronous writes (O_DSYNC), ${f1(run.count / Math.max(run.flushes, 1))} ` +
        `events per write; CPU-bound ceiling ${f1(run.count / Math.max(run.cpu, 1e-9))} events/s per core of ` +
        `exporter CPU (scrapes included)`,
    );
  }
}

const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');

function scrapeFigures(scrapes: readonly number[]): string {
  if (scrapes.length === 0) return 'not measured (BENCH_DEPLOYS_SCRAPE=0)';
  const max = Math.max(...scrapes);
  return (
    `${f1(max)} ms (${verdict(max < 100)}; ${scrapes.length} scrapes, p50 ${f1(quantile(scrapes, 0.5))} ms, ` +
    `p99 ${f1(quantile(scrapes, 0.99))} ms)`
  );
}

/** Both runs beside issue 15's targets: the maximum rate from the saturating run, the latency from the paced one. */
function showTargets(saturating: Run, paced: Run): void {
  const rate = saturating.count / saturating.seconds;
  const sp99 = quantile(saturating.ms, 0.99);
  const achieved = paced.count / paced.seconds;
  const p99 = quantile(paced.ms, 0.99);
  console.log(
    `targets (issue 15, case 13: >= 1,000 events/s, p99 < 20 ms at concurrency ${CONCURRENCY}, every scrape ` +
      `within 100 ms; ${availableParallelism()} cores shared with this load generator):`,
  );
  console.log(
    `  saturating (closed loop, ${CONCURRENCY} senders back to back; its latency is the queue behind a server ` +
      `kept busy): max rate ${f1(rate)} events/s (${verdict(rate >= 1000)}), p99 ${f1(sp99)} ms; scrape max ` +
      `${scrapeFigures(saturating.scrapes)}; load ${saturating.load}`,
  );
  console.log(
    `  paced at ${RATE}/s (open loop, at most ${CONCURRENCY} in flight, latency from scheduled start): achieved ` +
      `${f1(achieved)} events/s, ${paced.late ?? 0} late; p50 ${f1(quantile(paced.ms, 0.5))} ms, p99 ` +
      `${f1(p99)} ms (${verdict(p99 < 20)}), max ${f1(Math.max(...paced.ms))} ms; scrape max ` +
      `${scrapeFigures(paced.scrapes)}; load ${paced.load}`,
  );
}

/** The journal's flushed batches so far (timescope_deploy_journal_flushes_total). */
async function flushesOf(url: string): Promise<number> {
  const text = (await scrape(url)).text;
  const m = /^timescope_deploy_journal_flushes_total(?:\{[^}]*\})? (\S+)$/m.exec(text);
  return m ? Number(m[1]) : NaN;
}

async function scrape(url: string): Promise<{ ms: number; bytes: number; text: string }> {
  const t0 = performance.now();
  const r = await fetch(`${url}/metrics`);
  const text = await r.text();
  return { ms: performance.now() - t0, bytes: Buffer.byteLength(text), text };
}

const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The same render in this process: a journal replayed from the exporter's file, the deploy series, the renderer. */
async function renderInProcess(file: string): Promise<void> {
  const journal = new Journal({ file, retentionMs: 30 * DAY_S * 1000, logger: quiet });
  const t0 = performance.now();
  await journal.open();
  const replayMs = performance.now() - t0;
  const times: number[] = [];
  let bytes = 0;
  let series = new DeploySeries(journal, 'bench');
  for (let r = 0; r < 5; r++) {
    // A fresh DeploySeries builds its series again, as the exporter's does after each journal change.
    series = new DeploySeries(journal, 'bench');
    gc();
    const c0 = process.cpuUsage();
    const body = renderExpositionBuffer(series.collect());
    const c = process.cpuUsage(c0);
    times.push((c.user + c.system) / 1000);
    bytes = body.length;
  }
  const c0 = process.cpuUsage();
  renderExpositionBuffer(series.collect());
  const cached = process.cpuUsage(c0);
  // One journal change, then a scrape: the kept series update that one event and join the kept lines; the earlier
  // design rebuilt and rendered every event (what a fresh DeploySeries does, measured above).
  const changed: number[] = [];
  const events = journal.list();
  for (let r = 0; r < 5; r++) {
    await journal.update(events[r].id, { subject: `edited ${r}` });
    gc();
    const c1 = process.cpuUsage();
    renderExpositionBuffer(series.collect());
    const c = process.cpuUsage(c1);
    changed.push((c.user + c.system) / 1000);
  }
  const full = quantile(times, 0.5);
  const incremental = quantile(changed, 0.5);
  console.log(
    `  scrape after one journal change: ${f1(incremental)} ms CPU kept per event (median of ${changed.length}) ` +
      `vs ${f1(full)} ms rebuilding every event: ${f1(full / Math.max(incremental, 0.01))}x less`,
  );
  console.log(
    `  in process: replay of ${journal.size()} events ${f1(replayMs)} ms; deploy series build + render ` +
      `${f1(quantile(times, 0.5))} ms CPU (median of ${times.length}), ${(bytes / 1024).toFixed(0)} KiB; ` +
      `unchanged journal ${f1((cached.user + cached.system) / 1000)} ms CPU`,
  );
  await journal.close();
}

async function medianGet(url: string, rounds: number): Promise<number> {
  const ms: number[] = [];
  for (let r = 0; r < rounds; r++) ms.push((await scrape(url)).ms);
  return quantile(ms, 0.5);
}

/**
 * The HTTP edge's cost on a scrape, in this process with the same deploy series: the earlier design (node:http,
 * every family by the fast writer) beside the exporter's server now (express routing, the self part by prom-client).
 */
async function scrapeEdge(file: string): Promise<void> {
  const journal = new Journal({ file, retentionMs: 30 * DAY_S * 1000, logger: quiet });
  await journal.open();
  const series = new DeploySeries(journal, 'bench');
  const plain = createServer((_req, res) => sendText(res, 200, renderExpositionBuffer(series.collect()), CONTENT_TYPE));
  await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
  const edge = createExporterServer({
    components: [{ name: 'deploys', collectors: [series], start: async () => undefined, stop: async () => undefined }],
    telemetryPath: '/metrics',
    logger: quiet,
  });
  const addr = await edge.listen({ host: '127.0.0.1', port: 0 });
  const plainUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
  const edgeUrl = `http://127.0.0.1:${addr.port}`;
  await medianGet(plainUrl, 3);
  await medianGet(edgeUrl, 3);
  const before: number[] = [];
  const after: number[] = [];
  for (let r = 0; r < 5; r++) {
    before.push(await medianGet(plainUrl, 4));
    after.push(await medianGet(edgeUrl, 4));
  }
  const self = new SelfMetrics();
  const selfMs: number[] = [];
  for (let r = 0; r < 20; r++) {
    const t0 = performance.now();
    await self.render([]);
    selfMs.push(performance.now() - t0);
  }
  const b = quantile(before, 0.5);
  const a = quantile(after, 0.5);
  console.log(
    `  scrape latency (${journal.size()} events, in process): before (node:http, one writer) ${f1(b)} ms, after ` +
      `(express + prom-client self part) ${f1(a)} ms, ratio ${(a / b).toFixed(2)}; the prom-client part alone ` +
      `(process_*, nodejs_*) ${f1(quantile(selfMs, 0.5))} ms`,
  );
  plain.close();
  await edge.close();
  await journal.close();
}

/**
 * The HTTP edge's cost on a webhook, in this process (client and server on one thread, so the CPU is both's): the
 * same express app and webhook handler (journal in memory) on node:http as it comes, where express changes every
 * request's and response's prototype as it dispatches them, against the exporter's server now (createAppServer: both
 * born with express's prototypes). Rounds alternate; medians of CPU per request.
 */
async function ingestEdge(): Promise<void> {
  const N = 3000;
  const serve = async (born: boolean): Promise<{ server: Server; port: number }> => {
    const journal = new Journal({ retentionMs: 30 * DAY_S * 1000, logger: quiet });
    const webhooks = createWebhooks({
      journal,
      credentials: {
        tokens: new BearerTokens([TOKEN]),
        github: new HmacSecrets([], 'x-hub-signature-256', ['sha256']),
        flux: new HmacSecrets([], 'x-signature', ['sha256']),
      },
      rateLimit: 0,
      host: 'bench',
      logger: quiet,
    });
    const app = express();
    for (const r of webhooks.routes ?? []) app.post(r.path, (req, res) => void r.handler(req, res));
    const server = born ? createAppServer(app) : createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { server, port: (server.address() as AddressInfo).port };
  };
  const variants = [await serve(false), await serve(true)];
  const cpu: number[][] = [[], []];
  let offset = 0;
  for (let round = 0; round < 4; round++) {
    for (const [v, { port }] of variants.entries()) {
      const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
      const now = Date.now();
      let next = offset;
      offset += N;
      const end = next + N;
      gc();
      const c0 = process.cpuUsage();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < end) await post(agent, port, JSON.stringify(event(next++, now)));
        }),
      );
      const c = process.cpuUsage(c0);
      agent.destroy();
      if (round > 0) cpu[v].push((c.user + c.system) / 1000 / N); // round 0 warms up
    }
  }
  for (const { server } of variants) server.close();
  const [before, after] = cpu.map((xs) => quantile(xs, 0.5));
  console.log(
    `  HTTP edge per webhook (in process, client and server on one thread, journal in memory): express on plain ` +
      `node:http ${f3(before)} ms CPU, requests born with express's prototypes ${f3(after)} ms; ratio ` +
      `${(after / before).toFixed(2)}`,
  );
}

/** BENCH_DEPLOYS_SERIES_ONLY=1: the in-process deploy-series part alone, on a journal written in process. */
async function seriesOnly(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'timescope-bench-deploys-'));
  try {
    const file = join(dir, JOURNAL_FILE_NAME);
    const journal = new Journal({ file, retentionMs: 30 * DAY_S * 1000, logger: quiet });
    const now = Date.now();
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < EVENTS; i++) {
      const e = event(i, now);
      writes.push(
        journal.append({
          source: 'api',
          namespace: e.namespace as string,
          workload: e.workload as string,
          kind: 'Deployment',
          revision: e.revision as string,
          author: e.author as string,
          subject: `release ${i}: bump dependencies`,
          url: e.url as string,
          status: 'succeeded',
          startedAt: (e.startedAt as number) * 1000,
          finishedAt: (e.finishedAt as number) * 1000,
        }),
      );
    }
    await Promise.all(writes);
    await journal.close();
    console.log(`deploy series (nothing asserted), ${EVENTS} events written in process:`);
    await renderInProcess(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (process.env.BENCH_DEPLOYS_SERIES_ONLY === '1') return seriesOnly();
  const dir = mkdtempSync(join(tmpdir(), 'timescope-bench-deploys-'));
  let ex: ExporterProcess | undefined;
  const stopOnSignal = (): void => {
    ex?.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  process.once('exit', () => ex?.child.kill('SIGKILL'));
  try {
    ex = await startExporterProcess({
      args: ['--no-collector.procfs', `--events.path=${dir}`, '--webhooks.rate-limit=0', '--log.level=warn'],
      env: { TIMESCOPE_WEBHOOKS_TOKEN: TOKEN },
      readyTimeoutMs: 120_000,
    });
    console.log(
      `deploy events (nothing asserted): POST /api/v1/deploys to an exporter child process, journal on ` +
        `${dir} (on disk before each answer, one synchronous write per batch); load ` +
        readFileSync('/proc/loadavg', 'utf8').trim(),
    );
    // JIT and connection warm-up, not counted: a long-running exporter runs optimized code, and the first few
    // thousand requests still run it unoptimized (measured here: twice the CPU per event over the first 5,000)
    await ingest(ex, 0, 50, 4);
    console.log(
      `ingestion (${NODE_CLIENT ? "node:http's client" : 'lean keep-alive client (BENCH_DEPLOYS_CLIENT=node: node:http)'}, ` +
        `after ${WARMUP} events at concurrency ${CONCURRENCY} not counted):`,
    );
    showRun('one at a time', await ingest(ex, 50, SEQUENTIAL, 1), 1);
    await ingest(ex, 50 + SEQUENTIAL, WARMUP, CONCURRENCY);
    const from = 50 + SEQUENTIAL + WARMUP;
    const saturating = await measure(ex, EVENTS - from, CONCURRENCY, true, closedLoop(from, EVENTS - from));
    showRun('saturating', saturating, CONCURRENCY);
    const paced = await measure(ex, PACED, CONCURRENCY, true, pacedLoop(EVENTS, PACED));
    showRun(`paced at ${RATE}/s`, paced, CONCURRENCY);
    showTargets(saturating, paced);
    if (process.env.BENCH_DEPLOYS_INGEST_ONLY === '1') return;
    const file = join(dir, JOURNAL_FILE_NAME);
    console.log(`  journal file: ${(statSync(file).size / 2 ** 20).toFixed(1)} MiB for ${TOTAL} events`);

    console.log(`/metrics with ${TOTAL} retained events:`);
    const first = await scrape(ex.url);
    const later: number[] = [];
    for (let r = 0; r < 5; r++) later.push((await scrape(ex.url)).ms);
    const count = (prefix: string): number => first.text.split('\n').filter((l) => l.startsWith(prefix)).length;
    const perEvent = count('timescope_deploy_timestamp_seconds{') + count('timescope_deploy_end_timestamp_seconds{');
    const totals = count('timescope_deploys_total{');
    console.log(
      `  GET /metrics: first after the last event ${f1(first.ms)} ms, later (unchanged journal) median ` +
        `${f1(quantile(later, 0.5))} ms; body ${(first.bytes / 2 ** 20).toFixed(1)} MiB`,
    );
    console.log(
      `  series: ${perEvent} timestamp + end-timestamp series (${f1((perEvent * 1000) / TOTAL)} per 1,000 finished ` +
        `events), ${totals} timescope_deploys_total series (namespace x workload x source x status, not per event)`,
    );
    await ex.stop();
    ex = undefined;
    await renderInProcess(file);
    await scrapeEdge(file);
    await ingestEdge();
  } finally {
    if (ex) await ex.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(`deploys bench failed: ${(e as Error).stack ?? String(e)}`);
  process.exitCode = 1;
});
