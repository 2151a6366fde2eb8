// Webhook credentials: bearer tokens and HMAC secrets, read from a file (one per line, so a secret can be rotated by
// listing the old and the new one) or from an environment variable. Every comparison runs in constant time and
// goes over every configured secret, so neither timing nor order tells an attacker anything.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { WebhookError } from './httpIo';

/** Secrets from a value (the flag, usually set by environment variable) and a file, one per line. */
export function loadSecrets(value: string | undefined, file: string | undefined, fileFlag: string): string[] {
  const out: string[] = [];
  if (value) out.push(...splitLines(value));
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new Error(`--${fileFlag}: cannot read ${file}: ${(e as Error).message}`);
    }
    const lines = splitLines(text);
    if (lines.length === 0) throw new Error(`--${fileFlag}: ${file} holds no secret`);
    out.push(...lines);
  }
  return out;
}

function splitLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

const sha256 = (s: string | Buffer): Buffer => createHash('sha256').update(s).digest();

export class BearerTokens {
  private readonly digests: Buffer[];

  constructor(tokens: string[]) {
    this.digests = tokens.map((t) => sha256(t));
  }

  get configured(): boolean {
    return this.digests.length > 0;
  }

  /** Throws 401 without credentials, 403 with wrong ones; returns which token matched (`token:<n>`, for its budget). */
  check(req: IncomingMessage): string {
    const header = req.headers.authorization;
    const m = header ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header) : null;
    if (!m) throw new WebhookError(401, 'missing bearer token (Authorization: Bearer <token>)');
    // Hashing first gives equal lengths, so timingSafeEqual applies whatever the token's length.
    const digest = sha256(m[1]);
    let matched = -1;
    this.digests.forEach((d, i) => {
      if (timingSafeEqual(digest, d) && matched < 0) matched = i;
    });
    if (matched < 0) throw new WebhookError(403, 'bad bearer token');
    return `token:${matched}`;
  }
}

export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha384' | 'sha512';
const DIGEST_BYTES: Record<HmacAlgorithm, number> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };

export class HmacSecrets {
  constructor(
    private readonly secrets: string[],
    /** the signature header, e.g. `x-hub-signature-256` */
    readonly header: string,
    private readonly algorithms: readonly HmacAlgorithm[],
  ) {}

  get configured(): boolean {
    return this.secrets.length > 0;
  }

  /** Parses the signature header without the body: throws 401 when it is missing, 403 when it is malformed. */
  precheck(req: IncomingMessage): { algorithm: HmacAlgorithm; given: Buffer } {
    const raw = req.headers[this.header];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (!value) throw new WebhookError(401, `missing ${this.header} signature`);
    const eq = value.indexOf('=');
    const algorithm = value.slice(0, eq).trim().toLowerCase() as HmacAlgorithm;
    const hex = value.slice(eq + 1).trim();
    if (eq < 0 || !this.algorithms.includes(algorithm)) {
      throw new WebhookError(403, `${this.header}: expected ${this.algorithms.map((a) => `${a}=<hex>`).join(' or ')}`);
    }
    const given = Buffer.from(hex, 'hex');
    if (given.length !== DIGEST_BYTES[algorithm] || given.toString('hex') !== hex.toLowerCase()) {
      throw new WebhookError(403, `${this.header}: bad signature`);
    }
    return { algorithm, given };
  }

  /**
   * Checks `<algorithm>=<hex HMAC of the raw body>`; throws 401 without a signature, 403 with a wrong one. Returns
   * which secret signed it (`<header>:<n>`, for its budget).
   */
  check(req: IncomingMessage, body: Buffer): string {
    const { algorithm, given } = this.precheck(req);
    let matched = -1;
    this.secrets.forEach((s, i) => {
      if (timingSafeEqual(createHmac(algorithm, s).update(body).digest(), given) && matched < 0) matched = i;
    });
    if (matched < 0) throw new WebhookError(403, `${this.header}: bad signature`);
    return `${this.header}:${matched}`;
  }
}
