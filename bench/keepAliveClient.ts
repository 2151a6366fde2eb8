// A lean HTTP/1.1 load generator for the ingestion benches: one keep-alive socket per concurrent sender, each
// request written as one buffer and its answer read by Content-Length. node:http's client costs about as much CPU per
// request as the exporter's server does, and on a 2-core machine that CPU is taken from the server being measured;
// this one costs a fraction of it, as wrk or a sender on another host would. It speaks only what the benches need:
// POST with a body, answers with a Content-Length (every answer of the exporter has one).
import { connect, type Socket } from 'node:net';

export interface PostAnswer {
  status: number;
  /** from the request's first byte written to the answer's last byte read */
  ms: number;
}

const HEAD_END = Buffer.from('\r\n\r\n');
const LENGTH_RE = /\r\ncontent-length:\s*(\d+)/i;

/** One keep-alive connection sending one request at a time. */
export class KeepAliveConnection {
  private readonly socket: Socket;
  private readonly ready: Promise<void>;
  private buffered: Buffer = Buffer.alloc(0);
  private waiting: ((chunk: Buffer | Error) => void) | undefined;
  /** why the socket ended, once it has: a later post fails at once instead of waiting for an answer forever */
  private ended: Error | undefined;

  constructor(port: number, host = '127.0.0.1') {
    this.socket = connect({ port, host, noDelay: true });
    this.ready = new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('error', reject);
    });
    this.socket.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
      this.waiting?.(chunk);
    });
    this.socket.on('error', (e) => this.end(e));
    this.socket.on('close', () => this.end(new Error('connection closed by the server')));
  }

  /** POSTs `body` (JSON) to `path` with the given extra header lines; resolves with the status and the latency. */
  async post(path: string, body: string, headers: Readonly<Record<string, string>>): Promise<PostAnswer> {
    await this.ready;
    let head = `POST ${path} HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n`;
    for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
    head += `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
    if (this.ended) throw this.ended;
    const t0 = performance.now();
    this.socket.write(head + body);
    const status = await this.readAnswer();
    return { status, ms: performance.now() - t0 };
  }

  /** Reads one whole answer off the socket: the head up to the blank line, then Content-Length bytes. */
  private async readAnswer(): Promise<number> {
    for (;;) {
      const end = this.buffered.indexOf(HEAD_END);
      if (end >= 0) {
        const head = this.buffered.toString('latin1', 0, end);
        const m = LENGTH_RE.exec(head);
        const total = end + HEAD_END.length + (m ? Number(m[1]) : 0);
        if (this.buffered.length >= total) {
          this.buffered = this.buffered.subarray(total);
          return Number(head.slice(9, 12));
        }
      }
      if (this.ended) throw this.ended;
      const got = await new Promise<Buffer | Error>((resolve) => (this.waiting = resolve));
      this.waiting = undefined;
      if (got instanceof Error) throw got;
    }
  }

  private end(e: Error): void {
    this.ended ??= e;
    this.waiting?.(e);
  }

  close(): void {
    this.socket.destroy();
  }
}
