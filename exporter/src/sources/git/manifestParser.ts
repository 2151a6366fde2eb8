// Parses manifests without blocking the event loop: small files inline (a thread round trip costs more than they
// do), large ones in one worker thread, one at a time in order. A worker that fails fails its parses (as a
// manifest that does not parse: skipped for that commit, never read as removed) and is replaced on the next one.
import { extname } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../runtime/workerThread';
import { parseManifests, type ParsedFile } from './manifests';

/** files up to this size are parsed on the calling thread (well under a millisecond per kB) */
export const INLINE_MANIFEST_BYTES = 256 << 10;

interface Waiting {
  resolve: (p: ParsedFile) => void;
}

export class ManifestParser {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly waiting = new Map<number, Waiting>();
  /** parses done in the worker (tests: the large file did go there) */
  offThread = 0;

  async parse(text: string, defaultNamespace = 'default'): Promise<ParsedFile> {
    if (text.length <= INLINE_MANIFEST_BYTES) return parseManifests(text, defaultNamespace);
    const worker = (this.worker ??= this.spawn());
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, { resolve });
      worker.postMessage({ id, text, defaultNamespace });
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
    this.failAll('the manifest parser was closed');
  }

  private spawn(): Worker {
    const w = startWorker(__dirname, extname(__filename), 'manifestWorker');
    w.on('message', (m: { id: number; parsed: ParsedFile }) => {
      const p = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      this.offThread++;
      p?.resolve(m.parsed);
    });
    const failed = (why: string): void => {
      if (this.worker === w) this.worker = undefined;
      this.failAll(why);
    };
    w.on('error', (e) => failed(`manifest parser thread failed: ${e.message}`));
    w.on('exit', (code) => failed(`manifest parser thread exited with code ${code}`));
    w.unref();
    return w;
  }

  private failAll(why: string): void {
    for (const p of this.waiting.values()) p.resolve({ workloads: [], errors: [why] });
    this.waiting.clear();
  }
}
