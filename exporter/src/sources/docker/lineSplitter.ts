// Cuts a byte stream into lines (the engine writes one JSON object per line). A line longer than `maxBytes` is
// reported as oversized and skipped up to its newline, so a runaway stream cannot grow the buffer without bound.
import { StringDecoder } from 'node:string_decoder';

export const MAX_EVENT_LINE_BYTES = 1024 * 1024;

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  private skipping = false;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly onOversized: () => void,
    private readonly maxBytes = MAX_EVENT_LINE_BYTES,
  ) {}

  push(chunk: Buffer): void {
    let text = this.decoder.write(chunk);
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n')) {
      const line = this.partial + text.slice(0, nl);
      text = text.slice(nl + 1);
      this.partial = '';
      if (this.skipping) this.skipping = false;
      else if (line.trim() !== '') this.onLine(line);
    }
    if (this.skipping) return;
    this.partial += text;
    // Characters, not bytes: close enough for a bound, and cheap.
    if (this.partial.length > this.maxBytes) {
      this.partial = '';
      this.skipping = true;
      this.onOversized();
    }
  }
}
