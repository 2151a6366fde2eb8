import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../runtime/source';
import { Journal } from '../../journal/journal';
import type { DeployEventInput } from '../../journal/types';
import { promtoolCheck } from '../../testutil/promtool';
import { renderExposition } from '../exposition';
import { listDeploysHandler } from './deploysApi';
import { DeploySeries } from './deploySeries';

const logger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 25, 7, 0, 0);

function input(over: Partial<DeployEventInput>): DeployEventInput {
  return {
    source: 'api',
    namespace: 'shop',
    workload: 'carts',
    kind: 'Deployment',
    revision: 'abc',
    author: 'alice',
    subject: 'bump',
    url: '',
    status: 'started',
    startedAt: NOW - 1000,
    ...over,
  };
}

describe('DeploySeries', () => {
  it('updated per change gives the same text as a fresh build of every event', async () => {
    let now = NOW;
    const journal = new Journal({ retentionMs: 30 * DAY, logger, now: () => now });
    const kept = new DeploySeries(journal, 'node-1', () => now);
    // the same lines (their order differs: kept series stay in the order first seen)
    const perEvent = (s: DeploySeries): string =>
      renderExposition(s.collect().filter((f) => f.name.startsWith('timescope_deploy_') && f.name.endsWith('seconds')))
        .split('\n')
        .sort()
        .join('\n');
    await journal.append(input({ revision: 'old', startedAt: NOW - 30 * DAY + 30_000 }));
    perEvent(kept); // filled from the journal here; later changes are applied one by one
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push((await journal.append(input({ revision: `r${i}`, startedAt: NOW - i }))).id);
    await journal.update(ids[3], { status: 'failed', finishedAt: NOW });
    await journal.update(ids[7], { subject: 'edited "quoted"' });
    expect(perEvent(kept)).toBe(perEvent(new DeploySeries(journal, 'node-1', () => now)));
    now += 2 * 60_000; // 'old' ages out
    const text = perEvent(kept);
    expect(text).not.toContain('revision="old"');
    expect(text.split('\n').filter((l) => l.startsWith('timescope_deploy_timestamp_seconds{'))).toHaveLength(20);
  });

  it('renders text that promtool check metrics accepts with no warning, odd label values included', async () => {
    const journal = new Journal({ retentionMs: 30 * DAY, logger, now: () => NOW });
    const series = new DeploySeries(journal, 'node-1', () => NOW);
    const a = await journal.append(
      input({ subject: 'quote " back\\slash \u0001 <b>html</b>', author: '\ud800 lone surrogate', url: 'a\nb' }),
    );
    await journal.update(a.id, { status: 'failed', finishedAt: NOW });
    await journal.append(input({ workload: 'orders', revision: 'r2', source: 'git', status: 'succeeded' }));
    const text = renderExposition(series.collect());
    expect(text).toContain('timescope_deploy_end_timestamp_seconds{');
    // the kept lines are exactly what the renderer writes for the same samples (unfrozen copies render them)
    const unfrozen = series.collect().map((f) => ({ ...f, samples: [...f.samples] }));
    expect(text).toBe(renderExposition(unfrozen));
    expect(await promtoolCheck(text)).toEqual({ code: 0, output: '' });
  });

  it('exposes each event in the window at its own time, its end once known, and counts ingestion', async () => {
    const journal = new Journal({ retentionMs: 30 * DAY, logger, now: () => NOW });
    const series = new DeploySeries(journal, 'node-1', () => NOW);
    const a = await journal.append(input({ startedAt: NOW - 5 * 60_000 + 123, subject: 'x'.repeat(300) + '\u0007' }));
    await journal.append(input({ revision: 'old', startedAt: NOW - 40 * DAY }));
    await journal.update(a.id, { status: 'succeeded', finishedAt: NOW - 60_000 + 456 });
    await journal.append(input({ workload: 'orders', revision: 'def', source: 'git' }));

    const families = Object.fromEntries(series.collect().map((f) => [f.name, f]));
    const starts = families.timescope_deploy_timestamp_seconds.samples;
    expect(starts.map((s) => [s.labels.workload, s.labels.revision, s.value])).toEqual([
      ['carts', 'abc', (NOW - 5 * 60_000 + 123) / 1000],
      ['orders', 'def', (NOW - 1000) / 1000],
    ]);
    expect(starts[0].labels.subject).toHaveLength(120);
    expect(Object.keys(starts[0].labels)).toEqual([
      'id',
      'namespace',
      'workload',
      'kind',
      'revision',
      'source',
      'author',
      'subject',
      'url',
    ]);
    expect(families.timescope_deploy_end_timestamp_seconds.samples).toEqual([
      { labels: { ...starts[0].labels, status: 'succeeded' }, value: (NOW - 60_000 + 456) / 1000 },
    ]);
    const counts = families.timescope_deploys_total.samples.map(
      (s) => `${s.labels.workload}/${s.labels.source}/${s.labels.status}=${s.value}`,
    );
    expect(counts.sort()).toEqual(['carts/api/started=2', 'carts/api/succeeded=1', 'orders/git/started=1']);
    expect(families.timescope_deploy_events.samples[0].value).toBe(2);
  });
});

describe('GET /api/v1/deploys', () => {
  let server: Server;
  let url: string;
  const journal = new Journal({ retentionMs: 30 * DAY, logger, now: () => NOW });
  beforeAll(async () => {
    await journal.append(input({ startedAt: Date.UTC(2026, 10, 25, 6, 0, 0, 5) }));
    await journal.append(
      input({
        workload: 'orders',
        startedAt: Date.UTC(2026, 10, 25, 6, 30),
        status: 'failed',
        finishedAt: Date.UTC(2026, 10, 25, 6, 31),
      }),
    );
    await journal.append(input({ namespace: 'ops', workload: 'db', startedAt: Date.UTC(2026, 10, 25, 6, 45) }));
    const handler = listDeploysHandler(journal);
    server = createServer((req, res) => void handler(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/deploys`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await journal.close();
  });

  it('lists events in a time range and namespace, with RFC 3339 times to the millisecond', async () => {
    const r = await fetch(`${url}?from=2026-11-25T06:00:00Z&to=${Date.UTC(2026, 10, 25, 6, 40) / 1000}&namespace=shop`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as { events: Record<string, unknown>[] };
    expect(body.events.map((e) => [e.workload, e.startedAt, e.finishedAt])).toEqual([
      ['carts', '2026-11-25T06:00:00.005Z', undefined],
      ['orders', '2026-11-25T06:30:00.000Z', '2026-11-25T06:31:00.000Z'],
    ]);
  });

  it('filters by workload and answers 400 naming a bad parameter', async () => {
    const one = (await (await fetch(`${url}?workload=db`)).json()) as { events: { namespace: string }[] };
    expect(one.events.map((e) => e.namespace)).toEqual(['ops']);
    const bad = await fetch(`${url}?from=yesterday`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ field: 'from' });
  });
});
