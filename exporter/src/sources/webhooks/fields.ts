// Typed reads from an untrusted JSON document. Every failure is a 400 naming the offending field's dotted path.
import { WebhookError } from './httpIo';

export type Json = Record<string, unknown>;

export function bad(field: string, message: string): WebhookError {
  return new WebhookError(400, `${field}: ${message}`, field);
}

export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw bad('body', `malformed JSON (${(e as Error).message})`);
  }
}

export class Fields {
  constructor(
    readonly value: Json,
    /** path of this object in the document, `""` for the root */
    readonly path = '',
  ) {}

  static root(doc: unknown): Fields {
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw bad('body', 'expected a JSON object');
    return new Fields(doc as Json);
  }

  /** the same object reported under another path */
  withPath(path: string): Fields {
    return new Fields(this.value, path);
  }

  at(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  has(key: string): boolean {
    const v = this.value[key];
    return v !== undefined && v !== null && v !== '';
  }

  obj(key: string): Fields {
    const v = this.value[key];
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(this.at(key), 'expected an object');
    return new Fields(v as Json, this.at(key));
  }

  optObj(key: string): Fields | undefined {
    return this.has(key) ? this.obj(key) : undefined;
  }

  str(key: string): string {
    const v = this.value[key];
    if (v === undefined || v === null || v === '') throw bad(this.at(key), 'required');
    if (typeof v !== 'string') throw bad(this.at(key), 'expected a string');
    return v;
  }

  optStr(key: string): string | undefined {
    return this.has(key) ? this.str(key) : undefined;
  }

  /** a string or a number rendered as text (ids are numbers in some payloads) */
  idStr(key: string): string {
    const v = this.value[key];
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    return this.str(key);
  }

  optInt(key: string): number | undefined {
    if (!this.has(key)) return undefined;
    const v = this.value[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
      throw bad(this.at(key), 'expected a non-negative integer');
    return v;
  }

  /** RFC 3339 text or Unix seconds (fractions allowed), as ms */
  optTime(key: string): number | undefined {
    if (!this.has(key)) return undefined;
    return parseTimeValue(this.value[key], this.at(key));
  }
}

const YEAR_2000 = 946_684_800;
const YEAR_2200 = 7_258_118_400;

export function parseTimeValue(v: unknown, field: string): number {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw bad(field, 'expected a time');
    if (v > YEAR_2200) throw bad(field, 'numbers are Unix seconds; this looks like milliseconds');
    if (v < YEAR_2000) throw bad(field, 'numbers are Unix seconds since 1970; this is before 2000');
    return Math.round(v * 1000);
  }
  if (typeof v === 'string') {
    const t = parseRfc3339(v);
    if (t !== undefined) return t;
  }
  throw bad(field, 'expected an RFC 3339 time (2026-11-25T06:00:00.123Z) or Unix seconds');
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|([+-])(\d{2}):?(\d{2}))$/i;

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * An RFC 3339 time as ms, every field checked (Date.parse rolls February 30 over to March and takes hour 24):
 * year 0001-9999, a day that exists in its month, hours 00-23, minutes and seconds 00-59, offsets up to 23:59.
 */
export function parseRfc3339(v: string): number | undefined {
  const m = RFC3339.exec(v);
  if (!m) return undefined;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  if (m[9] !== undefined && (Number(m[10]) > 23 || Number(m[11]) > 59)) return undefined;
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
}
