// Request and response plumbing for the webhook endpoints: a bounded body reader and JSON answers. Errors carry
// the HTTP status and, for a malformed payload, the path of the offending field.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../../runtime/http';

export { sendJson };

export const MAX_BODY_BYTES = 1 << 20;

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

/** Reads the whole body, refusing more than `limit` bytes (413) before or while it arrives. */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(new WebhookError(413, `body over ${limit} bytes`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer): void => {
      size += c.length;
      if (size > limit) {
        req.off('data', onData);
        reject(new WebhookError(413, `body over ${limit} bytes`));
        return;
      }
      chunks.push(c);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/**
 * Answers an error. When the body was not read, the connection is closed after the answer and the rest of the
 * body is discarded, so a client streaming a huge body cannot keep a connection busy.
 */
export function sendError(req: IncomingMessage, res: ServerResponse, err: WebhookError, bodyRead: boolean): void {
  const headers: Record<string, string> = {};
  if (!bodyRead) headers.Connection = 'close';
  if (err.status === 429) headers['Retry-After'] = '1';
  if (err.status === 401) headers['WWW-Authenticate'] = 'Bearer';
  const body: Record<string, string> = { error: err.message };
  if (err.field !== undefined) body.field = err.field;
  sendJson(res, err.status, body, headers);
  if (!bodyRead) req.resume();
}
