// The one way the exporter answers over HTTP: a length-delimited body with its type (JSON answers are never cached
// and never sniffed as something else).
import type { IncomingMessage, ServerResponse } from 'node:http';

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
