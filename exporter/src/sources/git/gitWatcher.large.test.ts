// Cases 3 and 4 of issue 15 on real git repositories: more new commits than one page are all recorded (none
// skipped without a word), and a manifest larger than what is read from git is refused, never taken as removed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../runtime/source';
import { Journal } from '../../journal/journal';
import { GitWatcher, MAX_MANIFEST_BYTES } from './gitWatcher';
import { deployment, TestRepo } from './testRepo';

jest.setTimeout(120_000);

const T0 = Date.UTC(2026, 10, 20, 9, 0, 0) / 1000;

/**
 * Appends `n` commits in one `git fast-import` run: the oldest `deploys` set carts' image to a new tag, the others
 * only touch a README (so the test spawns few git processes per commit).
 */
function fastCommits(repo: TestRepo, n: number, from: number, deploys: number): void {
  const parent = repo.git('rev-parse', 'HEAD').trim();
  let stream = '';
  for (let i = 0; i < n; i++) {
    const data = deployment('carts', 'shop', `shop/carts:2.${from + i}`);
    const msg = `bump carts to 2.${from + i}`;
    const when = `${T0 + 60 * (from + i)} +0000`;
    stream +=
      `commit refs/heads/${repo.branch}\n` +
      `committer CI Bot <ci@example.org> ${when}\n` +
      `data ${Buffer.byteLength(msg)}\n${msg}\n` +
      (i === 0 ? `from ${parent}\n` : '') +
      (i < deploys
        ? `M 100644 inline manifests/shop.yaml\ndata ${Buffer.byteLength(data)}\n${data}\n`
        : `M 100644 inline README.md\ndata ${String(i).length + 1}\n${i}\n\n`);
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: repo.dir, input: stream });
  repo.git('reset', '-q', '--hard', repo.branch);
}

describe('GitWatcher with large changes', () => {
  let repo: TestRepo;
  let cache: string;
  let journal: Journal;
  const warnings: string[] = [];
  const logger: Logger = { info: () => undefined, warn: (m) => warnings.push(m), error: () => undefined };

  beforeEach(() => {
    repo = new TestRepo();
    cache = mkdtempSync(join(tmpdir(), 'timescope-gitcache-'));
    journal = new Journal({ retentionMs: 3650 * 86_400_000, logger, now: () => (T0 + 86_400) * 1000 });
    warnings.length = 0;
  });
  afterEach(async () => {
    await journal.close();
    repo.cleanup();
    rmSync(cache, { recursive: true, force: true });
  });

  const watcher = (): GitWatcher =>
    new GitWatcher({
      repo: repo.dir,
      branch: 'main',
      path: 'manifests',
      commitUrl: '',
      backfill: 10,
      cacheDir: cache,
      defaultNamespace: 'default',
      journal,
      logger,
    });

  it('records every one of 2,100 commits pushed between two polls, the oldest included', async () => {
    repo.write('manifests/shop.yaml', deployment('carts', 'shop', 'shop/carts:1.0'));
    repo.commit('initial', 'Alice', T0);
    const w = watcher();
    await w.poll();
    expect(journal.size()).toBe(1);
    fastCommits(repo, 2100, 0, 3);
    const r = await w.poll();
    expect(r.commits).toBe(2100);
    expect(journal.list().map((e) => e.subject)).toEqual([
      'initial',
      'bump carts to 2.0',
      'bump carts to 2.1',
      'bump carts to 2.2',
    ]);
  });

  it('refuses a manifest larger than the read limit instead of recording its workloads as removed', async () => {
    repo.write('manifests/shop.yaml', deployment('carts', 'shop', 'shop/carts:1.0'));
    repo.commit('initial', 'Alice', T0);
    const w = watcher();
    await w.poll();
    const padding = `# ${'x'.repeat(1000)}\n`.repeat(Math.ceil((2 * MAX_MANIFEST_BYTES + 1) / 1003));
    repo.write('manifests/shop.yaml', deployment('carts', 'shop', 'shop/carts:1.0') + padding);
    const big = repo.commit('add a very long comment', 'Bob', T0 + 60);
    repo.write('manifests/shop.yaml', deployment('carts', 'shop', 'shop/carts:1.1'));
    repo.commit('bump carts', 'Carol', T0 + 120);
    await w.poll();
    expect(journal.list().filter((e) => e.revision === big)).toEqual([]);
    expect(w.stats.malformedFiles).toBe(2); // the big file as the new side, then as the old side
    expect(warnings.join('\n')).toMatch(/too large/);
  });
});
