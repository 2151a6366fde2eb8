// The worker thread that walks /proc and builds the topology, so that a slow walk never delays a scrape.
// Messages: in `{ facts }` (one probe), out a ProbeReply (probeWire.ts: unchanged connections are not sent again).
import { parentPort, workerData } from 'node:worker_threads';
import { buildTopology, type HostFacts, type TopologyMemo } from './model/buildTopology';
import { natConnections } from './natConnections';
import { ProcWalker, type WalkOptions } from './walk';
import type { ProbeReply } from './probeReply';
import { WireSender } from './probeWire';

const walker = new ProcWalker(workerData as WalkOptions);
const memo: TopologyMemo = {};
const wire = new WireSender();
// descriptors are the process's, not the thread's: a worker that ends closes the ones its walker holds
process.once('exit', () => walker.close());

parentPort?.on('message', (msg: { facts: HostFacts }) => {
  let reply: ProbeReply;
  try {
    const snapshot = walker.walk();
    const t0 = performance.now();
    const topology = buildTopology(snapshot, msg.facts, memo);
    reply = {
      ok: true,
      topology,
      nat: natConnections(snapshot.conntrack, snapshot.sockets),
      errors: snapshot.errors,
      problems: snapshot.problems,
      wallSeconds: snapshot.wallSeconds + (performance.now() - t0) / 1000,
      walkCpuSeconds: snapshot.cpuSeconds,
      processes: snapshot.processes.length,
      sockets: Object.values(snapshot.sockets).reduce((n, l) => n + l.length, 0),
      socketReads: walker.socketReads,
    };
  } catch (e) {
    reply = { ok: false, message: (e as Error).message ?? String(e), code: (e as { code?: string }).code };
  }
  parentPort?.postMessage(wire.encode(reply));
});
