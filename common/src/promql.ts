// Building PromQL from values that come from users, template variables or other systems' labels. Every value placed
// in a query goes through `quote` (a string literal) and, inside regex matchers, `escapeRegex` first, so names
// holding quotes, backslashes, braces or newlines can neither break the query nor widen a selector.

/** Escapes `s` for a double-quoted PromQL string literal (Go escapes: backslash, quote, control characters). */
export function escapeString(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

/** A PromQL string literal holding exactly `s`. */
export function quote(s: string): string {
  return `"${escapeString(s)}"`;
}

/** Escapes RE2 metacharacters so the regex matches `s` literally. */
export function escapeRegex(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

export function isLabelName(s: string): boolean {
  return LABEL_NAME.test(s);
}

export function isMetricName(s: string): boolean {
  return METRIC_NAME.test(s);
}

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  label: string;
  op: MatchOp;
  value: string;
}

/** `label op "value"`, refusing label names that are not names (they cannot be escaped). */
export function matcher(m: Matcher): string {
  if (!isLabelName(m.label)) throw new Error(`not a label name: ${JSON.stringify(m.label)}`);
  return `${m.label}${m.op}${quote(m.value)}`;
}

/** `metric{m1, m2}`; `metric` must be a metric name. */
export function selector(metric: string, matchers: readonly Matcher[] = []): string {
  if (!isMetricName(metric)) throw new Error(`not a metric name: ${JSON.stringify(metric)}`);
  return matchers.length === 0 ? metric : `${metric}{${matchers.map(matcher).join(', ')}}`;
}

/** A regex matching any of `values` literally (for multi-value template variables). */
export function anyOf(values: readonly string[]): string {
  return values.length === 1 ? escapeRegex(values[0]) : `(${values.map(escapeRegex).join('|')})`;
}

/** A PromQL duration in whole milliseconds (`29999ms`); at least 1ms. */
export function durationMs(ms: number): string {
  return `${Math.max(1, Math.round(ms))}ms`;
}

/** Checks that a regex given by a user is valid RE2-ish syntax as far as JavaScript can tell; returns the error. */
export function regexError(re: string): string | undefined {
  try {
    new RegExp(re);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
