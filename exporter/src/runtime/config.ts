// The parsed flags as a source sees them: typed accessors instead of a record of unknowns, so a module reads
// `config.duration('probe.interval')` and gets seconds, or a clear error naming the flag when it is not a duration.
export type FlagType = 'string' | 'int' | 'duration' | 'bool';
export type FlagValue = string | number | boolean | undefined;

export interface FlagSpec {
  /** Prometheus-style dotted name without dashes, e.g. `git.repo` (given as `--git.repo=...`) */
  name: string;
  help: string;
  type: FlagType;
  /** default as it would be written on the command line (`15s`, `/proc`); undefined for none */
  default?: string;
}

/** Parsed flag values: strings, ints, durations in seconds, bools; undefined when unset without default. */
export type FlagValues = Readonly<Record<string, FlagValue>>;

export class Config {
  constructor(
    private readonly values: FlagValues,
    /** flags given on the command line or by environment variable (not just defaulted) */
    private readonly given: ReadonlySet<string> = new Set(),
  ) {}

  /** The value as set, or '' when unset. */
  string(name: string): string {
    return this.typed(name, 'string', 'a string') ?? '';
  }

  /** The value, or undefined when unset or empty. */
  optionalString(name: string): string | undefined {
    const v = this.string(name);
    return v === '' ? undefined : v;
  }

  /** One of `allowed`; a FlagError otherwise. */
  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const v = this.optionalString(name) ?? fallback;
    if (!(allowed as readonly string[]).includes(v)) {
      const choices = allowed.length > 1 ? `${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}` : allowed[0];
      throw new FlagError(`--${name} must be ${choices}, not "${v}"`);
    }
    return v as T;
  }

  int(name: string): number {
    return this.required(name, this.typed(name, 'number', 'an integer'));
  }

  /** In seconds. */
  duration(name: string): number {
    return this.required(name, this.typed(name, 'number', 'a duration'));
  }

  /** A duration that must be above zero (intervals, retry delays). */
  positiveDuration(name: string): number {
    const v = this.duration(name);
    if (!(v > 0)) throw new FlagError(`--${name} must be positive`);
    return v;
  }

  /** false when unset. */
  bool(name: string): boolean {
    return this.typed(name, 'boolean', 'a boolean') ?? false;
  }

  /** true when the flag was given (command line or environment), not merely defaulted */
  isSet(name: string): boolean {
    return this.given.has(name);
  }

  private typed<K extends 'string' | 'number' | 'boolean'>(
    name: string,
    kind: K,
    what: string,
  ): (K extends 'string' ? string : K extends 'number' ? number : boolean) | undefined {
    const v = this.values[name];
    if (v === undefined) return undefined;
    if (typeof v !== kind) throw new FlagError(`--${name} is not ${what} (got ${JSON.stringify(v)})`);
    return v as K extends 'string' ? string : K extends 'number' ? number : boolean;
  }

  private required(name: string, v: number | undefined): number {
    if (v === undefined || !Number.isFinite(v)) throw new FlagError(`--${name} is required`);
    return v;
  }
}

/** A bad or missing flag value: the CLI prints it and exits with status 2. */
export class FlagError extends Error {}
