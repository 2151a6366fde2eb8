// The journal's file: one JSON record per line, appended and flushed to disk (fdatasync) before the caller is told.
// Appends that arrive while a flush is running are written together by the next one (group commit), so a flood of
// webhooks costs one fsync per batch rather than one per event. A crash can leave a torn last line: `open` cuts it
// off. Compaction writes the live records to a new file, flushes it and renames it over the old one. Every append is
// settled through a synchronous callback before its promise, so the journal's view of what is durable never lags.
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { mkdir, open, readFile, rename, truncate, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface OpenedFile {
  file: JournalFile;
  /** parsed records in file order */
  records: unknown[];
  /** bytes cut off the end because the last line was torn (0 when none) */
  tornBytes: number;
  /** lines in the middle that did not parse (skipped, never deleted until compaction) */
  badLines: number;
}

interface Pending {
  data: string;
  resolve: () => void;
  reject: (e: Error) => void;
}

/** Called synchronously once an append is on disk (no error) or has failed, before its promise settles. */
export type Settled = (error?: Error) => void;

export class JournalFile {
  private pending: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private closed = false;
  private rewriting = false;
  /** records currently in the file (live or superseded), to decide when compaction pays */
  lines: number;

  private constructor(
    readonly path: string,
    private handle: FileHandle,
    private size: number,
    lines: number,
  ) {
    this.lines = lines;
  }

  static async open(path: string): Promise<OpenedFile> {
    await mkdir(dirname(path), { recursive: true });
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    const end = text.lastIndexOf('\n') + 1;
    const good = text.slice(0, end);
    const tornBytes = Buffer.byteLength(text) - Buffer.byteLength(good);
    if (tornBytes > 0) await truncate(path, Buffer.byteLength(good));
    const records: unknown[] = [];
    let badLines = 0;
    for (const line of good.split('\n')) {
      if (line.trim() === '') continue;
      try {
        records.push(JSON.parse(line));
      } catch {
        badLines++;
      }
    }
    const handle = await open(path, 'a');
    const file = new JournalFile(path, handle, Buffer.byteLength(good), records.length + badLines);
    if (tornBytes > 0) await handle.datasync();
    return { file, records, tornBytes, badLines };
  }

  /** Appends one record; resolves once it is on disk. */
  append(record: unknown, settled?: Settled): Promise<void> {
    if (this.closed) {
      const e = new Error('journal is closed');
      settled?.(e);
      return Promise.reject(e);
    }
    const data = JSON.stringify(record) + '\n';
    return new Promise<void>((resolve, reject) => {
      this.pending.push({
        data,
        resolve: () => {
          settled?.();
          resolve();
        },
        reject: (e) => {
          settled?.(e);
          reject(e);
        },
      });
      if (!this.flushing && !this.rewriting) this.flushing = this.flushLoop();
    });
  }

  private async flushLoop(): Promise<void> {
    while (this.pending.length > 0 && !this.rewriting) {
      const batch = this.pending.splice(0);
      const buf = Buffer.from(batch.map((p) => p.data).join(''));
      try {
        await this.writeAll(buf);
        await this.handle.datasync();
        this.size += buf.length;
        this.lines += batch.length;
        for (const p of batch) p.resolve();
      } catch (e) {
        // Cut a partial write off so the next append does not land after half a line.
        await this.handle.truncate(this.size).catch(() => undefined);
        for (const p of batch) p.reject(e as Error);
      }
    }
    this.flushing = undefined;
  }

  private async writeAll(buf: Buffer): Promise<void> {
    let off = 0;
    while (off < buf.length) {
      const { bytesWritten } = await this.handle.write(buf, off, buf.length - off);
      off += bytesWritten;
    }
  }

  /** Waits for every append made so far to be on disk (or to fail). */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  /**
   * Replaces the file's content with the records `snapshot` returns, atomically (write, fsync, rename, fsync the
   * folder). `snapshot` is called once no write is running and after every earlier append has settled, so it can
   * hold exactly what is durable; appends queued meanwhile wait and are written to the new file afterwards. A
   * failed rewrite leaves the old file in place (and the queued appends go to it).
   */
  async rewrite(snapshot: () => unknown[]): Promise<void> {
    this.rewriting = true;
    const tmp = `${this.path}.compact`;
    try {
      await this.drain();
      const records = snapshot();
      const data = Buffer.from(records.map((r) => JSON.stringify(r) + '\n').join(''));
      try {
        const h = await open(tmp, 'w');
        try {
          await h.writeFile(data);
          await h.datasync();
        } finally {
          await h.close();
        }
        await rename(tmp, this.path);
      } catch (e) {
        await unlink(tmp).catch(() => undefined); // give the space back (disk full is the usual cause)
        throw e;
      }
      syncDir(dirname(this.path));
      await this.handle.close();
      this.handle = await open(this.path, 'a');
      this.size = data.length;
      this.lines = records.length;
    } finally {
      this.rewriting = false;
      if (this.pending.length > 0 && !this.flushing) this.flushing = this.flushLoop();
    }
  }

  async close(): Promise<void> {
    await this.drain();
    this.closed = true;
    await this.handle.close();
  }
}

/** fsync a folder so a rename in it is durable; some filesystems refuse, which only weakens that guarantee. */
function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // best effort
  }
}
