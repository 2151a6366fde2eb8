// Runs the walk in a worker thread and hands back one probe at a time. The worker's entry is the compiled
// walkWorker.js when running built; from source (tests, `node -r scripts/register-swc.js`) an eval'd bootstrap
// registers the TypeScript loader first and then requires walkWorker.ts.
import { existsSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { HostFacts } from './model/buildTopology';
import type { Topology } from './model/topology';
import type { ProbeErrorKind } from '../../runtime/sourceHealth';
import type { NatConnection } from './natConnections';
import type { WalkOptions } from './walk';

export type ProbeReply =
  | {
      ok: true;
      topology: Topology;
      /** translated connections of this host's clients (conntrack), [] without a conntrack table */
      nat: NatConnection[];
      errors: Record<ProbeErrorKind, number>;
      problems: string[];
      wallSeconds: number;
      walkCpuSeconds: number;
      processes: number;
      sockets: number;
    }
  | { ok: false; message: string; code?: string };

/**
 * The walk's young generation, MiB. A probe's garbage is a few MiB (10,000 socket records); V8's default young
 * generation (16 MiB semi-spaces) lets each isolate hold far more before a scavenge. Measured on the issue 14 load
 * at one probe a second: see exporter/README.md (RSS).
 */
const WALK_YOUNG_GENERATION_MB = 6;

function createWorker(options: WalkOptions): Worker {
  const ext = extname(__filename);
  const entry = join(__dirname, `walkWorker${ext}`);
  const resourceLimits = { maxYoungGenerationSizeMb: WALK_YOUNG_GENERATION_MB };
  if (ext !== '.ts') return new Worker(entry, { workerData: options, resourceLimits });
  const register = resolve(__dirname, '../../../../scripts/register-swc.js');
  if (!existsSync(register)) throw new Error(`cannot run the walker from source: ${register} is missing`);
  const bootstrap = `require(${JSON.stringify(register)}); require(${JSON.stringify(entry)});`;
  return new Worker(bootstrap, { eval: true, workerData: options, resourceLimits });
}

/** One worker, one probe at a time; a crashed or stuck worker is replaced on the next probe. */
export class WalkerThread {
  private worker: Worker | undefined;
  private pending: ((r: ProbeReply) => void) | undefined;

  constructor(private readonly options: WalkOptions) {}

  probe(facts: HostFacts, timeoutMs: number): Promise<ProbeReply> {
    if (this.pending) return Promise.resolve({ ok: false, message: 'a probe is already running' });
    const worker = (this.worker ??= this.spawn());
    return new Promise((resolveReply) => {
      const timer = setTimeout(() => {
        this.finish({ ok: false, message: `probe took longer than ${timeoutMs} ms; worker restarted` });
        void this.kill();
      }, timeoutMs);
      this.pending = (r) => {
        clearTimeout(timer);
        resolveReply(r);
      };
      worker.postMessage({ facts });
    });
  }

  async kill(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }

  private finish(r: ProbeReply): void {
    const p = this.pending;
    this.pending = undefined;
    p?.(r);
  }

  private spawn(): Worker {
    const w = createWorker(this.options);
    w.on('message', (r: ProbeReply) => this.finish(r));
    w.on('error', (e) => {
      if (this.worker === w) this.worker = undefined;
      this.finish({ ok: false, message: `walker thread failed: ${e.message}` });
    });
    w.on('exit', (code) => {
      if (this.worker === w) this.worker = undefined;
      this.finish({ ok: false, message: `walker thread exited with code ${code}` });
    });
    w.unref();
    return w;
  }
}
