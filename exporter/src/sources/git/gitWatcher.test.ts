import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../runtime/source';
import { Journal } from '../../journal/journal';
import { GitWatcher } from './gitWatcher';
import { deployment, service, TestRepo } from './testRepo';

jest.setTimeout(30_000);

const T0 = Date.UTC(2026, 10, 20, 9, 0, 0) / 1000;
const logger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('GitWatcher', () => {
  let repo: TestRepo;
  let cache: string;
  let journal: Journal;

  beforeEach(() => {
    repo = new TestRepo();
    cache = mkdtempSync(join(tmpdir(), 'timescope-gitcache-'));
    journal = new Journal({ retentionMs: 365 * 86_400_000, logger });
  });
  afterEach(async () => {
    await journal.close();
    repo.cleanup();
    rmSync(cache, { recursive: true, force: true });
  });

  function watcher(over: { backfill?: number; path?: string } = {}): GitWatcher {
    return new GitWatcher({
      repo: repo.dir,
      branch: 'main',
      path: over.path ?? 'manifests',
      commitUrl: 'https://git.example.org/shop/commit/{sha}',
      backfill: over.backfill ?? 50,
      cacheDir: cache,
      defaultNamespace: 'default',
      journal,
      logger,
    });
  }

  function summary(): string[] {
    return journal.list().map((e) => `${e.revision.slice(0, 7)} ${e.namespace}/${e.workload} ${e.subject}`);
  }

  it('backfills one event per changed workload, with author, time, images and replicas old -> new', async () => {
    repo.write(
      'manifests/shop.yaml',
      [
        deployment('carts', 'shop', 'shop/carts:1.0', 2),
        service('carts', 'shop'),
        deployment('orders', 'shop', 'shop/orders:2.0'),
      ].join('---\n'),
    );
    const c1 = repo.commit('Initial shop', 'Alice Admin', T0);
    repo.write('README.md', '# docs only\n');
    repo.commit('Docs: explain the shop', 'Bob Writer', T0 + 60);
    repo.write(
      'manifests/shop.yaml',
      [
        deployment('carts', 'shop', 'shop/carts:1.1', 3),
        service('carts', 'shop'),
        deployment('orders', 'shop', 'shop/orders:2.0'),
      ].join('---\n'),
    );
    const c3 = repo.commit('carts 1.1 with 3 replicas', 'Carol Dev', T0 + 120, 'Fixes the checkout bug.');

    const result = await watcher().poll();
    expect(result).toMatchObject({ commits: 3, events: 3, forcePush: false });
    const events = journal.list();
    expect(events.map((e) => [e.revision, e.workload, e.startedAt])).toEqual([
      [c1, 'carts', T0 * 1000],
      [c1, 'orders', T0 * 1000],
      [c3, 'carts', (T0 + 120) * 1000],
    ]);
    const bump = events[2];
    expect(bump).toMatchObject({
      source: 'git',
      namespace: 'shop',
      kind: 'Deployment',
      author: 'Carol Dev',
      subject: 'carts 1.1 with 3 replicas',
      message: 'carts 1.1 with 3 replicas\n\nFixes the checkout bug.',
      url: `https://git.example.org/shop/commit/${c3}`,
      images: [{ container: 'carts', from: 'shop/carts:1.0', to: 'shop/carts:1.1' }],
      replicas: { from: 2, to: 3 },
      version: { from: '1.0', to: '1.1' },
    });
    expect(events[1]).toMatchObject({ images: [{ container: 'orders', to: 'shop/orders:2.0' }], replicas: { to: 1 } });
  });

  it('follows new commits, ignores commits touching no workload, and records a removal', async () => {
    repo.write('manifests/carts.yaml', deployment('carts', 'shop', 'shop/carts:1.0', 1));
    repo.write('manifests/orders.yaml', deployment('orders', 'shop', 'shop/orders:1.0', 1));
    repo.commit('Initial shop', 'Alice', T0);
    const w = watcher();
    await w.poll();
    expect(journal.size()).toBe(2);

    repo.write('manifests/config.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x, namespace: shop }\n');
    repo.commit('Add a ConfigMap', 'Alice', T0 + 60);
    expect(await w.poll()).toMatchObject({ commits: 1, events: 0 });

    repo.remove('manifests/orders.yaml');
    const gone = repo.commit('Retire orders', 'Alice', T0 + 120);
    expect(await w.poll()).toMatchObject({ commits: 1, events: 1 });
    expect(journal.list().at(-1)).toMatchObject({ revision: gone, workload: 'orders', replicas: { from: 1, to: 0 } });
    expect(await w.poll()).toMatchObject({ commits: 0, events: 0 });
  });

  it('resumes after a force-push from the common ancestor without recording anything twice', async () => {
    repo.write('manifests/carts.yaml', deployment('carts', 'shop', 'shop/carts:1.0', 1));
    const base = repo.commit('Initial', 'Alice', T0);
    repo.write('manifests/carts.yaml', deployment('carts', 'shop', 'shop/carts:1.1', 1));
    const lost = repo.commit('carts 1.1', 'Alice', T0 + 60);
    const w = watcher();
    await w.poll();

    repo.git('reset', '-q', '--hard', base);
    repo.write('manifests/carts.yaml', deployment('carts', 'shop', 'shop/carts:1.2', 2));
    const rewritten = repo.commit('carts 1.2 instead', 'Bob', T0 + 120);
    const r = await w.poll();
    expect(r).toMatchObject({ forcePush: true, commits: 1, events: 1 });
    expect(summary()).toEqual([
      `${base.slice(0, 7)} shop/carts Initial`,
      `${lost.slice(0, 7)} shop/carts carts 1.1`,
      `${rewritten.slice(0, 7)} shop/carts carts 1.2 instead`,
    ]);
    expect(journal.list().at(-1)).toMatchObject({ version: { from: '1.0', to: '1.2' }, replicas: { from: 1, to: 2 } });
    expect(w.stats.forcePushes).toBe(1);
  });

  it('after a restart picks up where it stopped, even beyond the backfill depth', async () => {
    repo.write('manifests/carts.yaml', deployment('carts', 'shop', 'shop/carts:1.0'));
    repo.commit('v1.0', 'Alice', T0);
    await watcher({ backfill: 1 }).poll();
    for (let i = 1; i <= 3; i++) {
      repo.write('manifests/carts.yaml', deployment('carts', 'shop', `shop/carts:1.${i}`));
      repo.commit(`v1.${i}`, 'Alice', T0 + i * 60);
    }
    const again = watcher({ backfill: 1 });
    expect(await again.poll()).toMatchObject({ commits: 3, events: 3 });
    expect(journal.list().map((e) => e.subject)).toEqual(['v1.0', 'v1.1', 'v1.2', 'v1.3']);
  });

  it('skips a manifest that does not parse instead of failing or reporting its workloads removed', async () => {
    repo.write('manifests/carts.yaml', deployment('carts', 'shop', 'shop/carts:1.0'));
    repo.commit('Initial', 'Alice', T0);
    const w = watcher();
    await w.poll();
    repo.write('manifests/carts.yaml', 'kind: Deployment\nmetadata: [unclosed\n');
    repo.commit('Broken', 'Alice', T0 + 60);
    expect(await w.poll()).toMatchObject({ commits: 1, events: 0 });
    expect(w.stats.malformedFiles).toBe(1);
  });

  it('watches only --git.path and reads a whole multi-document List', async () => {
    repo.write('other/x.yaml', deployment('elsewhere', 'shop', 'x:1'));
    repo.write(
      'manifests/list.yaml',
      'apiVersion: v1\nkind: List\nitems:\n' +
        ['a', 'b']
          .map(
            (n) =>
              `  - kind: StatefulSet\n    metadata: { name: ${n} }\n    spec: { replicas: 2, template: { spec: { containers: [{ name: db, image: "pg:16" }] } } }\n`,
          )
          .join(''),
    );
    repo.commit('Both', 'Alice', T0);
    await watcher().poll();
    expect(summary().map((s) => s.split(' ')[1])).toEqual(['default/a', 'default/b']);
    expect(journal.list()[0]).toMatchObject({ kind: 'StatefulSet', replicas: { to: 2 }, version: { to: '16' } });
  });

  it('fails a poll with git message when the repository does not exist', async () => {
    const w = new GitWatcher({
      repo: join(cache, 'missing'),
      branch: 'main',
      path: '',
      commitUrl: '',
      backfill: 5,
      cacheDir: join(cache, 'c'),
      defaultNamespace: 'default',
      journal,
      logger,
    });
    await expect(w.poll()).rejects.toThrow(/git fetch failed/);
  });
});
