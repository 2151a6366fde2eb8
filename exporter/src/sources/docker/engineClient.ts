// The Docker Engine API over its unix socket, with node:http alone: JSON requests, and the /events stream as lines.
// Paths carry no version prefix, so the engine answers in its own (newest) API version; the fields read here have
// been stable since API 1.24.
import { request, type ClientRequest, type IncomingMessage } from 'node:http';

/** An answer other than 2xx, or a body that is not the JSON asked for. */
export class EngineError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** A list of a few thousand containers is well under this; a bigger answer is not an engine talking. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

export interface EngineClientOptions {
  socketPath: string;
  /** per JSON request, milliseconds */
  timeoutMs?: number;
}

/** The engine's error body is `{"message": "..."}`. */
function errorMessage(status: number, body: string): string {
  try {
    const m = (JSON.parse(body) as { message?: unknown }).message;
    if (typeof m === 'string') return `HTTP ${status}: ${m}`;
  } catch {
    // not JSON: fall through
  }
  return `HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ''}`;
}

function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        res.destroy(new EngineError(`answer larger than ${MAX_BODY_BYTES} bytes`));
        return;
      }
      chunks.push(c);
    });
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
    res.on('aborted', () => reject(new EngineError('connection closed mid-answer')));
  });
}

/** A running events stream: `closed` settles when it ends (resolves on a clean end, rejects on an error). */
export interface EventStream {
  closed: Promise<void>;
  close(): void;
}

export class EngineClient {
  constructor(private readonly opts: EngineClientOptions) {}

  get socketPath(): string {
    return this.opts.socketPath;
  }

  /** GET path and parse the JSON answer. */
  getJson(path: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timeout = this.opts.timeoutMs ?? 10_000;
      const req = request({ socketPath: this.opts.socketPath, path, method: 'GET', timeout });
      req.on('timeout', () => req.destroy(new EngineError(`GET ${path}: no answer within ${timeout} ms`)));
      req.on('error', reject);
      req.on('response', (res) => {
        readBody(res).then((body) => {
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300)
            return reject(new EngineError(`GET ${path}: ${errorMessage(status, body)}`, status));
          try {
            resolve(JSON.parse(body));
          } catch {
            reject(new EngineError(`GET ${path}: the answer is not JSON`));
          }
        }, reject);
      });
      req.end();
    });
  }

  /**
   * Opens GET path as a stream of chunks: resolves once the engine answered 200 (so the caller knows events from now
   * on are seen), rejects on a connection error or another status.
   */
  stream(path: string, onData: (chunk: Buffer) => void): Promise<EventStream> {
    return new Promise((resolve, reject) => {
      let req: ClientRequest | undefined = request({ socketPath: this.opts.socketPath, path, method: 'GET' });
      let settleClosed: ((e?: Error) => void) | undefined;
      const closed = new Promise<void>((res, rej) => {
        settleClosed = (e) => (e ? rej(e) : res());
      });
      // A stream that ends before anyone awaits it must not be an unhandled rejection.
      closed.catch(() => undefined);
      let opened = false;
      const fail = (e: Error): void => {
        if (!opened) reject(e);
        settleClosed?.(e);
        settleClosed = undefined;
      };
      const close = (): void => {
        settleClosed?.();
        settleClosed = undefined;
        req?.destroy();
        req = undefined;
      };
      req.on('error', fail);
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        if (status !== 200) {
          readBody(res).then(
            (body) => fail(new EngineError(`GET ${path}: ${errorMessage(status, body)}`, status)),
            (e: Error) => fail(e),
          );
          return;
        }
        opened = true;
        resolve({ closed, close });
        res.on('data', onData);
        res.on('aborted', () => fail(new EngineError('the events stream was cut')));
        res.on('error', (e) => fail(e));
        res.on('end', () => fail(new EngineError('the engine ended the events stream')));
      });
      req.end();
    });
  }
}
