// The one deploy journal of an exporter process. The runtime creates it from the flags and hands it to every
// component in its context (`ctx.journal`: git, webhooks, kubernetes rollouts record into it); the deploys component
// declares its flags, opens it on start and closes it on stop. Appends made before that wait for the replay.
import { join } from 'node:path';
import type { Logger } from '../logger';
import type { Config, FlagSpec } from '../runtime/config';
import { Journal } from './journal';

export type { Journal } from './journal';
export { ExpiredEventError, InvalidEventError, refuseExpired } from './journal';
export * from './types';

export const JOURNAL_FILE_NAME = 'deploys.jsonl';
export const DEFAULT_RETENTION_SECONDS = 30 * 86400;

export const journalFlags: FlagSpec[] = [
  {
    name: 'events.path',
    help: `Folder of the deploy event journal (${JOURNAL_FILE_NAME}, flushed to disk before a webhook is answered). Unset: events are kept in memory only and lost on restart.`,
    type: 'string',
  },
  {
    name: 'events.retention',
    help: 'How long deploy events are kept, exposed and listed; older ones are compacted away.',
    type: 'duration',
    default: '30d',
  },
];

/** The journal for this exporter's flags; the CLI makes one per process. */
export function createJournal(config: Config, logger: Logger): Journal {
  const dir = config.optionalString('events.path');
  const retention = config.duration('events.retention');
  return new Journal({
    file: dir !== undefined ? join(dir, JOURNAL_FILE_NAME) : undefined,
    retentionMs: (retention > 0 ? retention : DEFAULT_RETENTION_SECONDS) * 1000,
    logger,
  });
}
