// The journal's file: one JSON record per line, appended and flushed to disk (O_DSYNC writes, or fdatasync) before
// the caller is told.
// Appends that arrive while a flush is running are written together by the next one, and a flush starts only after
// the event loop's current turn, so the appends of the requests read together share it (group commit): a flood of
// webhooks costs one fsync per batch rather than one per event. A crash can leave a torn last line: `open` cuts it
// off. Compaction writes the live records to a new file, flushes it and renames it over the old one. Every append is
// settled through a synchronous callback before its promise, so the journal's view of what is durable never lags.
import { closeSync, constants, fsyncSync, openSync } from 'node:fs';
import { mkdir, open, readFile, rename, truncate, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { TextDecoder } from 'node:util';

export interface OpenedFile {
  file: JournalFile;
  /** parsed records in file order */
  records: unknown[];
  /** byte offset of each record's line */
  offsets: number[];
  /** bytes cut off the end because the last line was torn (0 when none) */
  tornBytes: number;
  /** lines in the middle that did not parse (skipped, never deleted until compaction) */
  badLines: number;
  /** where each skipped line starts (byte offset) and why */
  skipped: SkippedLine[];
}

export interface SkippedLine {
  offset: number;
  reason: string;
}

export interface ScannedLines {
  records: unknown[];
  /** byte offset of each record's line */
  offsets: number[];
  skipped: SkippedLine[];
  /** bytes after the last newline that are not a complete record (cut off) */
  tornBytes: number;
  /** the last line is a complete record without its final newline (kept) */
  unterminated: boolean;
}

const NEWLINE = 0x0a;

/**
 * How the journal is opened for appending: with O_DSYNC where the platform has it, so that a batch's write returns
 * only once its bytes are on disk (what write + fdatasync give, in one call and one trip to the thread pool);
 * elsewhere plain append, and each batch is followed by an fdatasync.
 */
const DSYNC = constants.O_DSYNC;
const APPEND_FLAGS: string | number =
  DSYNC === undefined ? 'a' : constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | DSYNC;

/**
 * Splits the journal's bytes into records. Works on bytes, not characters: an invalid UTF-8 sequence in one line
 * must not shift the offsets of the ones after it (the torn tail is cut at a byte offset).
 */
export function scanLines(bytes: Buffer): ScannedLines {
  const out: ScannedLines = { records: [], offsets: [], skipped: [], tornBytes: 0, unterminated: false };
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let start = 0;
  while (start < bytes.length) {
    const nl = bytes.indexOf(NEWLINE, start);
    const last = nl < 0;
    const end = last ? bytes.length : nl;
    const parsed = parseLine(decoder, bytes.subarray(start, end));
    if (last) {
      if ('record' in parsed) {
        out.records.push(parsed.record);
        out.offsets.push(start);
        out.unterminated = true;
      } else out.tornBytes = end - start;
      break;
    }
    if ('record' in parsed) {
      out.records.push(parsed.record);
      out.offsets.push(start);
    } else if (parsed.reason !== 'empty') out.skipped.push({ offset: start, reason: parsed.reason });
    start = nl + 1;
  }
  return out;
}

function parseLine(decoder: TextDecoder, line: Buffer): { record: unknown } | { reason: string } {
  let text: string;
  try {
    text = decoder.decode(line);
  } catch {
    return { reason: 'invalid UTF-8' };
  }
  if (text.trim() === '') return { reason: 'empty' };
  try {
    return { record: JSON.parse(text) as unknown };
  } catch (e) {
    return { reason: `malformed JSON (${(e as Error).message})` };
  }
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
  /** batches written and flushed (one O_DSYNC write, or write + fdatasync, each) */
  flushes = 0;

  private constructor(
    readonly path: string,
    private handle: FileHandle,
    private bytes: number,
    lines: number,
  ) {
    this.lines = lines;
  }

  static async open(path: string): Promise<OpenedFile> {
    await mkdir(dirname(path), { recursive: true });
    let bytes = Buffer.alloc(0);
    try {
      bytes = await readFile(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    const scan = scanLines(bytes);
    let size = bytes.length;
    if (scan.tornBytes > 0) {
      size -= scan.tornBytes;
      await truncate(path, size);
    }
    const handle = await open(path, APPEND_FLAGS);
    if (scan.unterminated) {
      // A complete last record that lost only its newline: keep it, and end it so the next append is a new line.
      await handle.write('\n');
      size += 1;
    }
    if (scan.tornBytes > 0 || scan.unterminated) await handle.datasync();
    const file = new JournalFile(path, handle, size, scan.records.length + scan.skipped.length);
    return {
      file,
      records: scan.records,
      offsets: scan.offsets,
      tornBytes: scan.tornBytes,
      badLines: scan.skipped.length,
      skipped: scan.skipped,
    };
  }

  /** bytes in the file that hold complete records */
  size(): number {
    return this.bytes;
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
      if (!this.flushing && !this.rewriting) this.flushing = this.flushSoon();
    });
  }

  /**
   * Starts the flush once the event loop has run every callback now due: the requests read from the sockets in the
   * same turn append before the first write, so they share its fsync instead of the first one going alone and the
   * others waiting behind it. That first batch is written even if a rewrite began meanwhile (it was due before the
   * rewrite, which waits for it, as for any flush already running).
   */
  private async flushSoon(): Promise<void> {
    await new Promise<void>((r) => setImmediate(r));
    return this.flushLoop(true);
  }

  private async flushLoop(due = false): Promise<void> {
    for (let first = due; this.pending.length > 0 && (first || !this.rewriting); first = false) {
      const batch = this.pending.splice(0);
      const buf = Buffer.from(batch.map((p) => p.data).join(''));
      try {
        await this.writeAll(buf);
        if (DSYNC === undefined) await this.handle.datasync();
        this.flushes++;
        this.bytes += buf.length;
        this.lines += batch.length;
        for (const p of batch) p.resolve();
      } catch (e) {
        // Cut a partial write off so the next append does not land after half a line.
        await this.handle.truncate(this.bytes).catch(() => undefined);
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
      this.handle = await open(this.path, APPEND_FLAGS);
      this.bytes = data.length;
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
