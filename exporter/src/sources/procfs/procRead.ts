// Reading procfs text with fewer system calls and fewer kernel passes than readFileSync. A seq_file read returns
// about a page at most (its buffer), and each read that reaches the end of /proc/net/tcp walks the whole socket hash
// table again: readFileSync's final read (the one that returns 0) costs another full walk per table. A read shorter
// than half a page can only be the last one (a read that stops early stops because the page is full), so the read
// that returns 0 is skipped. Single-record files (stat) come back whole in one read, which is short as well.
import { closeSync, openSync, readSync } from 'node:fs';

/** a non-final seq_file read returns more than this (a page less one record: records are under 200 bytes here) */
const SHORT = 2048;

let buf = Buffer.allocUnsafe(256 * 1024);

export function readProcText(path: string, encoding: 'latin1' | 'utf8'): string {
  const b = readProcBytes(path);
  return b.toString(encoding, 0, b.length);
}

/** The file's bytes in a buffer shared by every call: valid until the next call (parse it at once). */
export function readProcBytes(path: string): Buffer {
  const fd = openSync(path, 'r');
  let length = 0;
  try {
    for (;;) {
      if (buf.length - length < 64 * 1024) {
        const next = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(next, 0, 0, length);
        buf = next;
      }
      const n = readSync(fd, buf, length, buf.length - length, null);
      length += n;
      if (n < SHORT) break;
    }
  } finally {
    closeSync(fd);
  }
  return buf.subarray(0, length);
}
