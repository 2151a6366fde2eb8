// The exporter's HTTP plumbing: the server an express app runs on, and the one way the exporter answers (a
// length-delimited body with its type; JSON answers are never cached and never sniffed as something else).
import { createServer, IncomingMessage, ServerResponse, type Server } from 'node:http';

export function sendText(
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  type = 'text/plain; charset=utf-8',
): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * Bytes of a chunked body handed to the socket per event-loop turn. Writing a 6 MiB /metrics body in one writev kept
 * the loop for 2.5-7 ms here (the kernel copies it and, on loopback, runs the receiver's side too), and every
 * webhook in flight waited that long; slices of this size keep each turn under a millisecond.
 */
export const SLICE_BYTES = 512 * 1024;

/**
 * A body in several buffers, never joined: written a slice at a time (a writev of up to SLICE_BYTES), the next
 * slice once the socket took the previous one and the loop served what was waiting meanwhile.
 */
export function sendChunks(
  res: ServerResponse,
  status: number,
  chunks: readonly Buffer[],
  type: string,
  sliceBytes = SLICE_BYTES,
): void {
  let length = 0;
  for (const c of chunks) length += c.length;
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': length });
  let next = 0;
  const slice = (): void => {
    if (res.destroyed) return;
    res.cork();
    for (let bytes = 0; next < chunks.length && bytes < sliceBytes; next++) {
      bytes += chunks[next].length;
      if (bytes >= sliceBytes || next === chunks.length - 1) res.write(chunks[next], afterSlice);
      else res.write(chunks[next]);
    }
    if (next === chunks.length) res.end();
    res.uncork();
  };
  // the write callback runs once the socket took the slice (possibly in this very turn): the next waits a turn
  const afterSlice = (e?: Error | null): void => {
    if (!e && next < chunks.length) setImmediate(slice);
  };
  slice();
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/** Requests that came with `Expect: 100-continue` (the server's checkContinue event marks them). */
const continuing = new WeakSet<IncomingMessage>();

export function markContinue(req: IncomingMessage): void {
  continuing.add(req);
}

/** true while the client waits for `100 Continue` before it sends the body */
export function expectsContinue(req: IncomingMessage): boolean {
  return continuing.has(req);
}

/**
 * A node:http server for an express app whose requests and responses are born with the app's prototypes. Express
 * otherwise calls Object.setPrototypeOf on every request and response as it dispatches them, which turns both into
 * slow objects for the rest of their life (every property access in node:http's own code and in the handlers):
 * measured here, 0.18 ms of CPU per small POST against 0.09 ms with the prototypes set at birth. Express's
 * setPrototypeOf then finds the prototype already in place and changes nothing.
 */
export function createAppServer(app: {
  (req: IncomingMessage, res: ServerResponse): void;
  request: object;
  response: object;
}): Server {
  class AppRequest extends IncomingMessage {}
  class AppResponse extends ServerResponse {}
  adopt(AppRequest.prototype, app.request, app);
  adopt(AppResponse.prototype, app.response, app);
  app.request = AppRequest.prototype;
  app.response = AppResponse.prototype;
  return createServer({ IncomingMessage: AppRequest, ServerResponse: AppResponse }, app);
}

/** Gives `proto` (a subclass's prototype) what `appProto` holds: the app's own properties and its chain. */
function adopt(proto: object, appProto: object, app: object): void {
  Object.setPrototypeOf(proto, Object.getPrototypeOf(appProto) as object);
  for (const key of Reflect.ownKeys(appProto)) {
    const d = Object.getOwnPropertyDescriptor(appProto, key);
    if (d) Object.defineProperty(proto, key, d);
  }
  if (!Object.prototype.hasOwnProperty.call(proto, 'app')) {
    Object.defineProperty(proto, 'app', { configurable: true, enumerable: true, writable: true, value: app });
  }
}
