// Case 1 of issue 15 on a real, full filesystem (a small tmpfs): a write that fails leaves no trace, so the
// sender's retry is written rather than answered "duplicate", and a compaction never writes a failed event.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { mountSmallDisk, type SmallDisk } from '../testutil/smallDisk';
import { Journal } from './journal';
import type { DeployEventInput } from './types';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 25, 7);
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

function event(revision: string, over: Partial<DeployEventInput> = {}): DeployEventInput {
  return {
    source: 'api',
    namespace: 'shop',
    workload: 'carts',
    kind: 'Deployment',
    revision,
    author: 'alice',
    subject: `deploy ${revision}`,
    message: `${revision} `.repeat(2500), // records larger than a page: a full tmpfs has no room left in the last one
    url: '',
    status: 'started',
    startedAt: T0 - 1000,
    ...over,
  };
}

const disk = mountSmallDisk(512);
const describeDisk = disk ? describe : describe.skip;
if (!disk) console.warn('journal.diskfull.test: cannot mount a tmpfs here (needs root); skipped');

describeDisk('Journal on a full disk', () => {
  const d = disk as SmallDisk;
  let now = T0;
  const opened: Journal[] = [];
  const file = join(d.dir, 'deploys.jsonl');
  function journal(): Journal {
    const j = new Journal({ file, retentionMs: 30 * DAY, logger: quiet, now: () => now });
    opened.push(j);
    return j;
  }
  afterEach(async () => {
    for (const j of opened.splice(0)) await j.close();
    d.empty();
    rmSync(file, { force: true });
    now = T0;
  });
  afterAll(() => d.unmount());

  it('leaves no trace of a failed write: the retry is written, never answered as a duplicate', async () => {
    const j = journal();
    const a = await j.append(event('a'));
    await j.append(event('x', { startedAt: T0 - 30 * DAY + 60_000 })); // expires in a minute
    d.fill();
    await expect(j.append(event('b'))).rejects.toThrow(/ENOSPC/);
    expect(j.findByKey('api', 'shop', 'carts', 'b')).toBeUndefined();
    await expect(j.append(event('b'))).rejects.toThrow(/ENOSPC/); // a retry while still full fails the same way
    // a duplicate arriving while the first write is running shares its fate
    const both = await Promise.allSettled([j.append(event('c')), j.append(event('c'))]);
    expect(both.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await expect(j.update(a.id, { status: 'failed', finishedAt: T0 })).rejects.toThrow(/ENOSPC/);
    expect(j.get(a.id)?.status).toBe('started');

    d.empty();
    now += 120_000; // x expires: the compaction must not write the events that failed
    await j.prune();
    expect(j.stats.compactions).toBeGreaterThan(0);
    const retry = await j.append(event('b'));
    expect(retry.duplicate).toBe(false);
    await j.close();

    const again = journal();
    await again.open();
    expect(again.list().map((e) => [e.revision, e.status])).toEqual([
      ['a', 'started'],
      ['b', 'started'],
    ]);
  });

  it('a compaction running while a write fails keeps every acknowledged event and not the failed one', async () => {
    const j = journal();
    await j.append(event('big-old', { startedAt: T0 - 30 * DAY + 60_000, message: 'x'.repeat(16_000) }));
    const acked = await j.append(event('a'));
    d.fill();
    d.free(8192); // room for the compacted file, not for a 16 KB record
    now += 120_000; // big-old expires
    const failing = j.append(event('d', { message: 'y'.repeat(16_000) }));
    await Promise.resolve();
    await Promise.resolve();
    expect(j.findByKey('api', 'shop', 'carts', 'd')).toBeDefined(); // its write is running
    const compaction = j.prune();
    await expect(failing).rejects.toThrow(/ENOSPC/);
    await compaction;
    expect(j.stats.compactions).toBe(1);
    expect(j.findByKey('api', 'shop', 'carts', 'd')).toBeUndefined();
    await j.close();

    const again = journal();
    await again.open();
    expect(again.list().map((e) => e.id)).toEqual([acked.id]);
    d.empty();
    expect((await again.append(event('d'))).duplicate).toBe(false);
  });
});
