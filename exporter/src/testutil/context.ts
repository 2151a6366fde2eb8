// A context as the CLI builds it, for tests that create one module: every flag at its default, some given.
import { createJournal } from '../journal';
import type { Logger } from '../logger';
import { Config, type FlagValues } from '../runtime/config';
import { registryFlags } from '../registry';
import type { SharedContext } from '../runtime/supervisor';
import { parseFlags } from '../flags';

const silent: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** `given` are flag values as parsed (durations in seconds), counted as set on the command line. */
export function testConfig(given: FlagValues): Config {
  const defaults = parseFlags([], {}, registryFlags()).config;
  return new Config({ ...defaults, ...given }, new Set(Object.keys(given)));
}

export function testContext(given: FlagValues, logger: Logger = silent, hostname = 'h'): SharedContext {
  const config = testConfig(given);
  return { config, logger, hostname, journal: createJournal(config, logger) };
}
