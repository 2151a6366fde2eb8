// Structured logs: one logfmt line per event on stderr (the exporter's stdout carries only the listen address).
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function isLogLevel(s: unknown): s is LogLevel {
  return typeof s === 'string' && s in RANK;
}

function quote(v: unknown): string {
  const s = v instanceof Error ? v.message : typeof v === 'string' ? v : JSON.stringify(v);
  return /^[A-Za-z0-9_.:/@+-]+$/.test(s ?? '') ? String(s) : JSON.stringify(s ?? '');
}

/** Formats one log line; exported for tests. */
export function formatLine(
  level: LogLevel,
  msg: string,
  fields: Record<string, unknown> = {},
  now = new Date(),
): string {
  let line = `ts=${now.toISOString()} level=${level} msg=${quote(msg)}`;
  for (const [k, v] of Object.entries(fields)) line += ` ${k}=${quote(v)}`;
  return line;
}

export function createLogger(
  level: LogLevel = 'info',
  write: (line: string) => void = (l) => process.stderr.write(l + '\n'),
): Logger & { debug(msg: string, fields?: Record<string, unknown>): void } {
  const at =
    (l: LogLevel) =>
    (msg: string, fields?: Record<string, unknown>): void => {
      if (RANK[l] >= RANK[level]) write(formatLine(l, msg, fields));
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Logs at debug level when the logger has one (the Component interface's Logger has no debug). */
export function logDebug(logger: Logger, msg: string, fields?: Record<string, unknown>): void {
  (logger as Partial<{ debug: Logger['info'] }>).debug?.(msg, fields);
}
