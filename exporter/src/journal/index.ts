// The one deploy journal of an exporter process. Every component that records deploy events (git, webhooks,
// kubernetes rollouts) gets it with `deployJournal(ctx)`; the deploys component declares its flags, opens it on
// start and closes it on stop. Appends made before that wait for the replay on their own.
import { join } from 'node:path';
import type { Config, Context, FlagSpec } from '../runtime/source';
import { Journal } from './journal';

export type { Journal } from './journal';
export { InvalidEventError } from './journal';
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

const journals = new WeakMap<Config, Journal>();

/** The journal for this exporter's flags (one per parsed configuration, so one per process). */
export function deployJournal(ctx: Context): Journal {
  let j = journals.get(ctx.config);
  if (!j) {
    const dir = ctx.config['events.path'];
    const retention = ctx.config['events.retention'];
    j = new Journal({
      file: typeof dir === 'string' && dir !== '' ? join(dir, JOURNAL_FILE_NAME) : undefined,
      retentionMs: (typeof retention === 'number' && retention > 0 ? retention : DEFAULT_RETENTION_SECONDS) * 1000,
      logger: ctx.logger,
    });
    journals.set(ctx.config, j);
  }
  return j;
}
