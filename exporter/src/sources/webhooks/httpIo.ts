// Request and response plumbing for the webhook endpoints: the body read by express's raw parser (the exact bytes,
// which HMAC signatures cover) within a size and a time bound, and JSON answers. Errors carry the HTTP status and,
// for a malformed payload, the path of the offending field.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { raw, type Request, type Response } from 'express';
import { sendJson } from '../../runtime/http';

export { sendJson };

export const MAX_BODY_BYTES = 1 << 20;
/** how long a sender has to deliver a whole body (slow senders hold a slot meanwhile) */
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;

export class WebhookError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** dotted path of the offending field (`deployment.sha`), `body` for the document itself */
    readonly field?: string,
  ) {
    super(message);
  }
}

// Compressed bodies are refused (415): the limit is on the bytes received, and a signature covers those bytes.
const parseRaw = raw({ limit: MAX_BODY_BYTES, inflate: false, type: () => true });

// Form encodings are what a sender set up for forms sends (GitHub's "application/x-www-form-urlencoded" choice, curl
// -d without a type): refused with the remedy. Any other type is read as JSON text (fetch sends text/plain).
const FORM_TYPE = /^\s*(?:application\/x-www-form-urlencoded|multipart\/form-data)\s*(?:;|$)/i;

/** 415 for a form-encoded body (before reading it); the body must be a JSON document. */
export function checkContentType(req: IncomingMessage): void {
  const type = req.headers['content-type'];
  if (type !== undefined && FORM_TYPE.test(type)) {
    throw new WebhookError(415, `the body must be JSON (Content-Type: application/json), got "${type}"`);
  }
}

/**
 * Reads the whole body: 413 over `MAX_BODY_BYTES` (declared: before reading; streamed: as soon as it is over),
 * 408 when it has not all arrived within `timeoutMs`.
 */
export function readBody(req: IncomingMessage, res: ServerResponse, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new WebhookError(408, `body not received within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    parseRaw(req as Request, res as Response, (err?: unknown) => {
      clearTimeout(timer);
      if (err) return reject(asBodyError(err));
      const body = (req as { body?: unknown }).body;
      resolve(Buffer.isBuffer(body) ? body : Buffer.alloc(0));
    });
  });
}

function asBodyError(err: unknown): WebhookError {
  const e = err as { status?: number; type?: string; message?: string };
  if (e.type === 'entity.too.large') return new WebhookError(413, `body over ${MAX_BODY_BYTES} bytes`);
  const status = typeof e.status === 'number' && e.status >= 400 && e.status < 500 ? e.status : 400;
  return new WebhookError(status, e.message ?? 'could not read the body', 'body');
}

/**
 * Answers an error. When the body was not read, the connection is closed after the answer: the rest of a body is
 * discarded as it comes, and one that trickles (408) is cut off, so that neither keeps a slot or a connection.
 */
export function sendError(req: IncomingMessage, res: ServerResponse, err: WebhookError, bodyRead: boolean): void {
  const headers: Record<string, string> = {};
  if (!bodyRead) headers.Connection = 'close';
  if (err.status === 429) headers['Retry-After'] = '1';
  if (err.status === 401) headers['WWW-Authenticate'] = 'Bearer';
  const body: Record<string, string> = { error: err.message };
  if (err.field !== undefined) body.field = err.field;
  sendJson(res, err.status, body, headers);
  if (bodyRead) return;
  if (err.status === 408) res.once('finish', () => req.socket.destroy());
  else req.resume();
}
