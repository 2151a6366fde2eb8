// Runs the walk in a worker thread and hands back one probe at a time. The worker's entry is the compiled
// walkWorker.js when running built; from source (tests, `node -r scripts/register-swc.js`) an eval'd bootstrap
// registers the TypeScript loader first and then requires walkWorker.ts.
import { existsSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { HostFacts } from './model/buildTopology';
import type { WalkOptions } from './walk';
import type { ProbeReply } from './probeReply';
import { WireReceiver, type WireMessage } from './probeWire';

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

/**
 * One worker, one probe at a time. A probe that times out terminates its worker, but a thread blocked in a read (a
 * FIFO in a --path.procfs tree, a hung FUSE mount) cannot be stopped until the read returns: it is kept as the one
 * stuck worker, and no probe starts another while it lives (each is answered as failed at once), so threads and
 * memory stay bounded. When the read returns the worker ends, and the next probe starts a fresh one.
 */
export class WalkerThread {
  private worker: Worker | undefined;
  private pending: ((r: ProbeReply) => void) | undefined;
  /** the timed-out worker still blocked (terminate requested, not exited yet) */
  private stuckWorker: Worker | undefined;
  /** workers started so far (a bounded walker starts one per blocked read, not one per probe) */
  started = 0;

  constructor(private readonly options: WalkOptions) {}

  /** 1 while a timed-out worker is still blocked in a read, else 0 (timescope_procfs_stuck_walkers) */
  stuck(): number {
    return this.stuckWorker ? 1 : 0;
  }

  probe(facts: HostFacts, timeoutMs: number): Promise<ProbeReply> {
    if (this.pending) return Promise.resolve({ ok: false, message: 'a probe is already running' });
    if (this.stuckWorker) {
      return Promise.resolve({
        ok: false,
        message: 'the previous walk is still blocked in a read of procfs; no other walk starts until it returns',
      });
    }
    const worker = (this.worker ??= this.spawn());
    return new Promise((resolveReply) => {
      const timer = setTimeout(() => {
        this.finish({ ok: false, message: `probe took longer than ${timeoutMs} ms; worker restarted` });
        this.abandon(worker);
      }, timeoutMs);
      this.pending = (r) => {
        clearTimeout(timer);
        resolveReply(r);
      };
      worker.postMessage({ facts });
    });
  }

  /** Terminates a worker that did not answer; it stays the stuck one until it has really exited. */
  private abandon(w: Worker): void {
    if (this.worker === w) this.worker = undefined;
    this.stuckWorker = w;
    void w.terminate().catch(() => undefined);
  }

  /** Ends the worker; one blocked in a read is waited for at most `waitMs` and then left as the stuck one. */
  async kill(waitMs = 2000): Promise<void> {
    const w = this.worker;
    if (w) {
      this.abandon(w);
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<void>((r) => (timer = setTimeout(r, waitMs)));
      await Promise.race([w.terminate().catch(() => undefined), waited]);
      clearTimeout(timer);
    }
    this.finish({ ok: false, message: 'the walker was stopped' });
  }

  private finish(r: ProbeReply): void {
    const p = this.pending;
    this.pending = undefined;
    p?.(r);
  }

  private spawn(): Worker {
    const w = createWorker(this.options);
    this.started++;
    const wire = new WireReceiver();
    w.on('message', (m: WireMessage) => {
      const r = wire.decode(m) ?? { ok: false, message: 'walker thread left out connections it never sent' };
      if (this.worker === w) this.finish(r); // a late answer of an abandoned worker belongs to no probe
    });
    w.on('error', (e) => {
      if (this.worker !== w) return;
      this.worker = undefined;
      this.finish({ ok: false, message: `walker thread failed: ${e.message}` });
    });
    w.on('exit', (code) => {
      if (this.stuckWorker === w) this.stuckWorker = undefined;
      if (this.worker !== w) return;
      this.worker = undefined;
      this.finish({ ok: false, message: `walker thread exited with code ${code}` });
    });
    w.unref();
    return w;
  }
}
