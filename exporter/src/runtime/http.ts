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

/** A body in several buffers, written in one go (writev) without joining them first. */
export function sendChunks(res: ServerResponse, status: number, chunks: readonly Buffer[], type: string): void {
  let length = 0;
  for (const c of chunks) length += c.length;
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': length });
  res.cork();
  for (const c of chunks) res.write(c);
  res.end();
  res.uncork();
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
