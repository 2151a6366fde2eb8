import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../runtime/source';
import { SelfMetric } from '@timescope/common';
import { DeploySeries } from '../publish/deploys/deploySeries';
import { Journal } from './journal';
import type { DeployEventInput } from './types';

const DAY = 86_400_000;

function quietLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, info: () => undefined, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) };
}

function event(over: Partial<DeployEventInput> = {}): DeployEventInput {
  return {
    source: 'api',
    namespace: 'shop',
    workload: 'carts',
    kind: 'Deployment',
    revision: 'abc123',
    author: 'alice',
    subject: 'bump carts',
    url: '',
    status: 'started',
    startedAt: Date.UTC(2026, 10, 25, 6, 0, 0, 123),
    ...over,
  };
}

describe('Journal', () => {
  let dir: string;
  const opened: Journal[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'timescope-journal-'));
  });
  afterEach(async () => {
    for (const j of opened.splice(0)) await j.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function journal(now = () => Date.UTC(2026, 10, 25, 7), logger = quietLogger()): Journal {
    const j = new Journal({ file: join(dir, 'deploys.jsonl'), retentionMs: 30 * DAY, logger, now });
    opened.push(j);
    return j;
  }

  it('writes the appends of one event-loop turn with one fdatasync, each settled only once its line is in the file', async () => {
    const j = journal();
    await j.open();
    const file = join(dir, 'deploys.jsonl');
    const inFileWhenSettled: boolean[] = [];
    const appends = Array.from({ length: 10 }, (_, i) =>
      j.append(event({ revision: `r${i}` })).then((r) => {
        inFileWhenSettled.push(readFileSync(file, 'utf8').includes(`"id":"${r.id}"`));
        return r;
      }),
    );
    const results = await Promise.all(appends);
    expect(j.flushes()).toBe(1); // not the first alone and the nine others in a second batch
    expect(inFileWhenSettled).toEqual(Array(10).fill(true));
    // the next turn's appends make a batch of their own
    await Promise.all([j.append(event({ revision: 'later-1' })), j.append(event({ revision: 'later-2' }))]);
    expect(j.flushes()).toBe(2);
    await j.close();
    const again = journal();
    await again.open();
    expect(again.list().map((e) => e.id)).toEqual(expect.arrayContaining(results.map((r) => r.id)));
    expect(again.size()).toBe(12);
  });

  it('keeps appended events across a reopen, with their millisecond times', async () => {
    const a = journal();
    const r = await a.append(event());
    expect(r.duplicate).toBe(false);
    await a.append(event({ workload: 'orders', revision: 'def456' }));
    await a.close();

    const b = journal();
    await b.open();
    expect(b.list().map((e) => [e.workload, e.revision, e.startedAt])).toEqual([
      ['carts', 'abc123', Date.UTC(2026, 10, 25, 6, 0, 0, 123)],
      ['orders', 'def456', Date.UTC(2026, 10, 25, 6, 0, 0, 123)],
    ]);
    expect(b.get(r.id)?.author).toBe('alice');
  });

  it('answers a duplicate by id or by source + revision + workload with the first id', async () => {
    const j = journal();
    const first = await j.append(event({ id: 'deploy-1' }));
    expect(first.id).toBe('deploy-1');
    expect((await j.append(event({ id: 'deploy-1', revision: 'other' }))).duplicate).toBe(true);
    const byKey = await j.append(event());
    expect(byKey).toMatchObject({ id: 'deploy-1', duplicate: true });
    expect(j.size()).toBe(1);
  });

  it('never merges two different explicit ids; only a report without an id merges by key', async () => {
    const a = journal();
    const one = await a.append(event({ id: 'pipeline-1' }));
    const two = await a.append(event({ id: 'pipeline-2', status: 'failed', finishedAt: Date.UTC(2026, 10, 25, 6, 1) }));
    expect(two).toMatchObject({ id: 'pipeline-2', duplicate: false });
    expect(a.get(one.id)?.status).toBe('started'); // the second report did not move the first event on
    expect(await a.append(event())).toMatchObject({ id: 'pipeline-1', duplicate: true });
    await a.close();
    const b = journal();
    await b.open();
    expect(b.list().map((e) => [e.id, e.status])).toEqual([
      ['pipeline-1', 'started'],
      ['pipeline-2', 'failed'],
    ]);
  });

  it('moves a rollout forward when a duplicate reports it finished', async () => {
    const j = journal();
    const { id } = await j.append(event());
    const done = await j.append(event({ status: 'succeeded', finishedAt: Date.UTC(2026, 10, 25, 6, 2) }));
    expect(done).toMatchObject({ id, duplicate: true });
    expect(j.get(id)).toMatchObject({ status: 'succeeded', finishedAt: Date.UTC(2026, 10, 25, 6, 2) });
    // a late "started" report does not move it back
    await j.append(event());
    expect(j.get(id)?.status).toBe('succeeded');
  });

  it('takes the report time as the end of a rollout whose finish comes without one', async () => {
    const now = Date.UTC(2026, 10, 25, 6, 5);
    const j = journal(() => now);
    const { id } = await j.append(event());
    await j.append(event({ status: 'failed' }));
    expect(j.get(id)).toMatchObject({ status: 'failed', finishedAt: now, startedAt: event().startedAt });
    const early = await j.append(event({ revision: 'def456' }));
    await j.append(event({ revision: 'def456', status: 'succeeded', finishedAt: event().startedAt - 123 }));
    expect(j.get(early.id)).toMatchObject({ status: 'succeeded', finishedAt: event().startedAt });
  });

  it('updates events and tells subscribers after the change is durable', async () => {
    const j = journal();
    const seen: string[] = [];
    j.subscribe((e, change) => seen.push(`${change}:${e.status}`));
    const { id } = await j.append(event());
    await j.update(id, { status: 'failed', finishedAt: Date.UTC(2026, 10, 25, 6, 1) });
    expect(seen).toEqual(['added:started', 'updated:failed']);
    expect(await j.update('nope', { status: 'failed' })).toBeUndefined();
    await j.close();
    const again = journal();
    await again.open();
    expect(again.get(id)?.status).toBe('failed');
  });

  it('cuts a torn last line off, logs it, and keeps every complete record', async () => {
    const a = journal();
    await a.append(event({ revision: 'r1' }));
    await a.append(event({ revision: 'r2' }));
    await a.close();
    const file = join(dir, 'deploys.jsonl');
    appendFileSync(file, '{"t":"put","e":{"id":"half');

    const logger = quietLogger();
    const b = journal(undefined, logger);
    await b.open();
    expect(b.list().map((e) => e.revision)).toEqual(['r1', 'r2']);
    expect(b.stats.tornBytes).toBeGreaterThan(0);
    expect(logger.warnings.join('\n')).toMatch(/torn/);
    expect(readFileSync(file, 'utf8').endsWith('\n')).toBe(true);
    await b.append(event({ revision: 'r3' }));
    await b.close();
    const c = journal();
    await c.open();
    expect(c.list().map((e) => e.revision)).toEqual(['r1', 'r2', 'r3']);
  });

  it('recovers on bytes: an invalid UTF-8 line earlier does not shift where a torn tail is cut', async () => {
    const file = join(dir, 'deploys.jsonl');
    const rec = (revision: string, subject = 'ok'): Buffer =>
      Buffer.from(
        JSON.stringify({ t: 'put', e: { ...event({ revision, subject }), id: revision, receivedAt: 1 } }) + '\n',
      );
    const corrupt = rec('r2', 'caf\u00e9');
    corrupt[corrupt.indexOf(0xc3)] = 0xff; // one byte flipped: no longer UTF-8
    const torn = Buffer.from('{"t":"put","e":{"id":"half');
    writeFileSync(file, Buffer.concat([rec('r1'), corrupt, torn]));
    const logger = { ...quietLogger(), fields: [] as unknown[] };
    logger.warn = (m: string, f?: unknown) => {
      logger.warnings.push(m);
      logger.fields.push(f);
    };
    const a = journal(undefined, logger);
    await a.open();
    expect(a.list().map((e) => e.revision)).toEqual(['r1']);
    expect(a.stats.badLines).toBe(1);
    expect(a.stats.tornBytes).toBe(torn.length);
    const skipped = new DeploySeries(a, 'h').collect().find((f) => f.name === SelfMetric.DeployJournalSkippedLines);
    expect(skipped?.samples[0].value).toBe(1);
    expect(logger.fields).toContainEqual(
      expect.objectContaining({ offset: rec('r1').length, reason: 'invalid UTF-8' }),
    );
    await a.append(event({ revision: 'r3' }));
    await a.close();

    const b = journal();
    await b.open();
    expect(b.list().map((e) => e.revision)).toEqual(['r1', 'r3']);
    expect(b.stats.tornBytes).toBe(0);
  });

  it('keeps a last record that lacks only its final newline', async () => {
    const file = join(dir, 'deploys.jsonl');
    const line = (revision: string): string =>
      JSON.stringify({ t: 'put', e: { ...event({ revision }), id: revision, receivedAt: 1 } });
    writeFileSync(file, `${line('r1')}\n${line('r2')}`);
    const a = journal();
    await a.open();
    expect(a.list().map((e) => e.revision)).toEqual(['r1', 'r2']);
    expect(a.stats.tornBytes).toBe(0);
    await a.append(event({ revision: 'r3' }));
    await a.close();
    const b = journal();
    await b.open();
    expect(b.list().map((e) => e.revision)).toEqual(['r1', 'r2', 'r3']);
  });

  it('skips unreadable lines in the middle instead of failing', async () => {
    const file = join(dir, 'deploys.jsonl');
    const good = JSON.stringify({ t: 'put', e: { ...event(), id: 'x', receivedAt: 1 } });
    writeFileSync(file, `garbage\n${good}\n{"t":"put","e":{"id":""}}\n`);
    const j = journal();
    await j.open();
    expect(j.list().map((e) => e.id)).toEqual(['x']);
    expect(j.stats.badLines).toBe(2);
  });

  it('drops events older than the retention window and compacts them away', async () => {
    let now = Date.UTC(2026, 10, 25, 7);
    const a = journal(() => now);
    await a.append(event({ revision: 'old', startedAt: now - 29 * DAY }));
    await a.append(event({ revision: 'new', startedAt: now - DAY }));
    now += 2 * DAY; // 'old' ages out
    for (let i = 0; i < 5; i++) await a.update(a.list()[0].id, { subject: `edit ${i}` });
    expect(a.list().map((e) => e.revision)).toEqual(['new']);
    await a.close();

    const b = journal(() => now);
    await b.open();
    expect(b.list().map((e) => e.revision)).toEqual(['new']);
    const lines = readFileSync(join(dir, 'deploys.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(b.stats.compactions).toBe(1);
    now += 30 * DAY;
    await b.prune();
    expect(b.size()).toBe(0);
    expect(readFileSync(join(dir, 'deploys.jsonl'), 'utf8')).toBe('');
  });

  it('keeps appends made during a compaction', async () => {
    let now = Date.UTC(2026, 10, 25, 7);
    const j = journal(() => now);
    await j.append(event({ revision: 'expired', startedAt: now - 29 * DAY }));
    now += 2 * DAY;
    const writes = [];
    for (let i = 0; i < 50; i++) writes.push(j.append(event({ revision: `r${i}`, startedAt: now - 1000 + i })));
    const compaction = j.prune();
    for (let i = 50; i < 100; i++) writes.push(j.append(event({ revision: `r${i}`, startedAt: now - 1000 + i })));
    await Promise.all([...writes, compaction]);
    await j.close();
    const again = journal(() => now);
    await again.open();
    expect(again.size()).toBe(100);
  });

  it('rejects events without the fields every event needs', async () => {
    const j = journal();
    await expect(j.append(event({ namespace: '' }))).rejects.toThrow(/namespace/);
    await expect(j.append(event({ startedAt: Number.NaN }))).rejects.toThrow(/startedAt/);
  });

  it('works in memory without a file', async () => {
    const j = new Journal({ retentionMs: DAY, logger: quietLogger() });
    opened.push(j);
    const r = await j.append(event({ startedAt: Date.now() }));
    expect(j.get(r.id)?.workload).toBe('carts');
  });
});
