// Command-line flags in the Prometheus exporter style (`--web.listen-address=:9469` or `--web.listen-address :9469`),
// each also settable by an environment variable (TIMESCOPE_WEB_LISTEN_ADDRESS). The command line wins over the
// environment, which wins over the default.
import { parseDurationMs } from '@timescope/common';
import type { Config, FlagSpec, FlagValue } from './component';

export class FlagError extends Error {}

/** Parses a Prometheus-style duration (`15s`, `5m`, `1h30m`, `30d`, `250ms`) into seconds. */
export function parseDuration(text: string): number {
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s); // a bare number is seconds
  const ms = parseDurationMs(s);
  if (ms === undefined) throw new FlagError(`not a duration: "${text}" (examples: 15s, 5m, 30d)`);
  return ms / 1000;
}

/** The environment variable for a flag: TIMESCOPE_ + name upper-cased, dots and dashes as underscores. */
export function envName(flag: string): string {
  return `TIMESCOPE_${flag.toUpperCase().replace(/[.-]/g, '_')}`;
}

function convert(spec: FlagSpec, raw: string, origin: string): FlagValue {
  switch (spec.type) {
    case 'string':
      return raw;
    case 'int': {
      if (!/^-?\d+$/.test(raw.trim())) throw new FlagError(`${origin}: not an integer: "${raw}"`);
      return Number(raw);
    }
    case 'duration':
      try {
        return parseDuration(raw);
      } catch (e) {
        throw new FlagError(`${origin}: ${(e as Error).message}`);
      }
    case 'bool': {
      const v = raw.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(v)) return true;
      if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
      throw new FlagError(`${origin}: not a boolean: "${raw}"`);
    }
  }
}

export interface ParsedArgs {
  config: Config;
  help: boolean;
  version: boolean;
}

/**
 * Parses argv (without node and script) against the flag specs. Accepts `--name=value`, `--name value`, and for
 * booleans `--name` / `--no-name`. Unknown flags and bad values throw FlagError.
 */
export function parseFlags(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  specs: readonly FlagSpec[],
): ParsedArgs {
  const byName = new Map<string, FlagSpec>();
  for (const s of specs) {
    // Components may share a flag (several sources honour --probe.interval): same type, first definition wins.
    const earlier = byName.get(s.name);
    if (earlier && earlier.type !== s.type) throw new FlagError(`flag --${s.name} is defined twice with two types`);
    if (!earlier) byName.set(s.name, s);
  }
  const values: Record<string, FlagValue> = {};
  for (const s of byName.values()) {
    if (s.default !== undefined) values[s.name] = convert(s, s.default, `default of --${s.name}`);
    const e = env[envName(s.name)];
    if (e !== undefined) values[s.name] = convert(s, e, `${envName(s.name)}`);
  }
  let help = false;
  let version = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (arg === '--version') {
      version = true;
      continue;
    }
    if (!arg.startsWith('--')) throw new FlagError(`unexpected argument "${arg}" (flags look like --name=value)`);
    const eq = arg.indexOf('=');
    let name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    let spec = byName.get(name);
    let negated = false;
    if (!spec && name.startsWith('no-') && byName.get(name.slice(3))?.type === 'bool') {
      name = name.slice(3);
      spec = byName.get(name);
      negated = true;
    }
    if (!spec) throw new FlagError(`unknown flag --${name} (see --help)`);
    let raw: string;
    if (eq >= 0) raw = arg.slice(eq + 1);
    else if (spec.type === 'bool') raw = negated ? 'false' : 'true';
    else if (i + 1 < argv.length) raw = argv[++i];
    else throw new FlagError(`flag --${name} needs a value`);
    if (negated && eq >= 0) throw new FlagError(`--no-${name} takes no value`);
    values[name] = convert(spec, raw, `--${name}`);
  }
  return { config: values, help, version };
}

/** The --help text: every flag with its type, default and environment variable. */
export function helpText(usage: string, groups: readonly { title: string; flags: readonly FlagSpec[] }[]): string {
  const lines = [usage, ''];
  const shown = new Set<string>();
  for (const g of groups) {
    const flags = g.flags.filter((f) => !shown.has(f.name));
    if (flags.length === 0) continue;
    lines.push(`${g.title}:`);
    for (const f of flags) {
      shown.add(f.name);
      lines.push(f.type === 'bool' ? `  --[no-]${f.name}` : `  --${f.name}=<${f.type}>`);
      lines.push(`      ${f.help}`);
      const def = f.default !== undefined ? `default: ${f.default === '' ? '""' : f.default}; ` : '';
      lines.push(`      (${def}env: ${envName(f.name)})`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
