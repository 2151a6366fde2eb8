// Template variable interpolation with Grafana's formats (public/app/features/templating/ and the format registry
// of grafana/grafana, read for their behaviour): $name, ${name}, ${name:format} and [[name]]; a multi-value variable
// becomes one string per format; $__all stands for every option of the variable, or for its custom all value.
import type { ScopedVars } from '@grafana/data';

/** One dashboard variable as the host knows it (from the page's var-<name> parameters). */
export interface HostVariable {
  /** the selected values (one for a single-value variable); ['$__all'] selects All */
  values: string[];
  /** the variable's options, which All stands for */
  options?: string[];
  /** a custom all value (e.g. `.*`): All is replaced by it, unformatted, as Grafana does */
  allValue?: string;
  multi?: boolean;
}

export const ALL = '$__all';
export type FormatFn = (value: string | string[], variable?: unknown, defaultFormat?: unknown) => string;

/** Grafana's regex escaping (kbn.regexEscape / escapeStringForRegex). */
export function regexEscape(s: string): string {
  return s.replace(/[\\^$*+?.()|[\]{}/]/g, '\\$&');
}

const FORMATS: Record<string, (v: string | string[]) => string> = {
  raw: (v) => String(v),
  regex: (v) => {
    if (typeof v === 'string') return regexEscape(v);
    const escaped = v.map(regexEscape);
    return escaped.length === 1 ? escaped[0] : `(${escaped.join('|')})`;
  },
  pipe: (v) => (typeof v === 'string' ? v : v.join('|')),
  csv: (v) => (typeof v === 'string' ? v : v.join(',')),
  json: (v) => JSON.stringify(v),
  glob: (v) => (typeof v !== 'string' && v.length > 1 ? `{${v.join(',')}}` : String(v)),
  singlequote: (v) => (typeof v === 'string' ? [v] : v).map((s) => `'${s.replace(/'/g, "\\'")}'`).join(','),
  doublequote: (v) => (typeof v === 'string' ? [v] : v).map((s) => `"${s.replace(/"/g, '\\"')}"`).join(','),
  percentencode: (v) => encodeURIComponent(typeof v === 'string' ? v : `{${v.join(',')}}`),
};

export const FORMAT_NAMES = Object.keys(FORMATS);

/** A variable's value as Grafana hands it to a formatter: a string, or an array when it is multi-value or All. */
export function currentValue(v: HostVariable): { value: string | string[]; custom: boolean } {
  if (v.values.includes(ALL)) {
    if (v.allValue !== undefined) return { value: v.allValue, custom: true };
    return { value: v.options ?? [], custom: false };
  }
  return { value: v.multi || v.values.length > 1 ? v.values : (v.values[0] ?? ''), custom: false };
}

function format(value: string | string[], fmt: string | FormatFn | undefined, variable: unknown): string {
  if (typeof fmt === 'function') return fmt(value, variable, FORMATS.glob);
  if (!fmt) return Array.isArray(value) ? FORMATS.glob(value) : value;
  const f = FORMATS[fmt];
  if (!f) throw new Error(`unknown variable format '${fmt}' (known: ${FORMAT_NAMES.join(', ')})`);
  return f(value);
}

// $name | ${name} | ${name:format} | [[name]] | [[name:format]]
const VARIABLE = /\$(\w+)|\$\{(\w+)(?::([\w]+))?\}|\[\[(\w+)(?::(\w+))?\]\]/g;

/**
 * Replaces the variables in `target`. `fmt` is the caller's format (a name or a function), which a format in the
 * text (`${name:csv}`) overrides. Unknown names stay as written.
 */
export function interpolate(
  target: string,
  variables: Record<string, HostVariable>,
  scopedVars?: ScopedVars,
  fmt?: string | FormatFn,
): string {
  return target.replace(VARIABLE, (whole, a?: string, b?: string, bf?: string, c?: string, cf?: string) => {
    const name = (a ?? b ?? c) as string;
    const textFormat = bf ?? cf;
    const scoped = scopedVars?.[name];
    if (scoped !== undefined) {
      const v = scoped.value as string | string[];
      return format(Array.isArray(v) ? v.map(String) : String(v), textFormat ?? fmt, scoped);
    }
    const variable = variables[name];
    if (!variable) return whole;
    const { value, custom } = currentValue(variable);
    // Grafana puts a custom all value in as it is, whatever the format (`.*` stays a regex)
    if (custom) return value as string;
    return format(value, textFormat ?? fmt, variable);
  });
}

/** The host page's variables from its URL: var-<name> (repeated for several values), varopts-<name> (JSON list of
 * options, which $__all stands for), varall-<name> (a custom all value). */
export function variablesFromSearch(search: URLSearchParams): Record<string, HostVariable> {
  const out: Record<string, HostVariable> = {};
  for (const key of new Set(search.keys())) {
    if (!key.startsWith('var-')) continue;
    const name = key.slice(4);
    const opts = search.get(`varopts-${name}`);
    const values = search.getAll(key);
    out[name] = {
      values,
      multi: values.length > 1,
      options: opts ? (JSON.parse(opts) as string[]) : undefined,
      allValue: search.get(`varall-${name}`) ?? undefined,
    };
  }
  return out;
}
