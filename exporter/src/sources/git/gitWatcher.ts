// Watches a branch of a GitOps repository with the system git: fetches it into a bare cache repository, walks the
// new commits (first parent only, so a merged pull request is one deploy) and turns every workload a commit
// changed into one deploy event. On the first poll it backfills the last N commits; after a force-push it resumes
// from the common ancestor. Events are idempotent (source + revision + workload), so going over a commit again
// after a restart or a force-push never records it twice.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { Logger } from '../../runtime/source';
import type { DeployEventInput, DeployJournal } from '../../journal/types';
import { ExpiredEventError } from '../../journal/journal';
import { git, GitError } from './gitCli';
import { ManifestParser } from './manifestParser';
import { isManifestFile, type WorkloadManifest } from './manifests';
import { diffWorkloads, type WorkloadChange } from './workloadChanges';

export interface GitWatcherOptions {
  /** local path or URL the system git can fetch */
  repo: string;
  branch: string;
  /** subfolder holding the manifests; `""` for the whole repository */
  path: string;
  /** template for links, `{sha}` and `{short}` replaced */
  commitUrl: string;
  /** commits walked on the first poll */
  backfill: number;
  /** bare cache repository (created when missing) */
  cacheDir: string;
  /** namespace of manifests that set none */
  defaultNamespace: string;
  journal: Pick<DeployJournal, 'append' | 'refuseExpired'>;
  logger: Logger;
  /**
   * Resume from the head saved in the cache by the last run (default true). Only right when the journal is durable:
   * an in-memory journal starts empty and needs the backfill again.
   */
  resume?: boolean;
}

export interface Commit {
  sha: string;
  parent: string | undefined;
  author: string;
  /** committer time, ms */
  time: number;
  subject: string;
  body: string;
}

export interface PollResult {
  head: string;
  commits: number;
  events: number;
  forcePush: boolean;
}

export interface GitWatcherStats {
  forcePushes: number;
  /** manifest files that did not parse (skipped for that commit) */
  malformedFiles: number;
  commitsProcessed: number;
  eventsRecorded: number;
}

const HEAD_FILE = 'timescope-last-head';
/** new commits are read in pages of this many (their details in one git call), progress saved after each page */
const COMMITS_PER_PAGE = 2000;
/** a manifest larger than this is refused (counted as malformed, logged), never read as missing */
export const MAX_MANIFEST_BYTES = 8 << 20;
/** shas of the new commits listed at once: 41 bytes each, about 400,000 commits */
const MAX_LIST_BYTES = 16 << 20;

/** A manifest too large to read: the file is skipped for that commit, never taken as removed. */
export class ManifestTooLargeError extends Error {
  constructor(readonly file: string) {
    super(`${file}: more than the ${MAX_MANIFEST_BYTES} bytes read from a manifest`);
  }
}

export class GitWatcher {
  private last: string | undefined;
  private initialized = false;
  readonly stats: GitWatcherStats = { forcePushes: 0, malformedFiles: 0, commitsProcessed: 0, eventsRecorded: 0 };
  private readonly ref: string;
  private readonly pathspec: string[];
  /** large manifests are parsed in a worker thread: a scrape never waits behind a multi-megabyte YAML file */
  private readonly parser = new ManifestParser();

  constructor(private readonly opts: GitWatcherOptions) {
    for (const [name, v] of [
      ['git.repo', opts.repo],
      ['git.branch', opts.branch],
      ['git.path', opts.path],
    ] as const) {
      if (v.startsWith('-')) throw new Error(`--${name} must not start with "-"`);
    }
    if (!/^[\w./-]+$/.test(opts.branch) || opts.branch.includes('..')) {
      throw new Error(`--git.branch: not a branch name: ${opts.branch}`);
    }
    this.ref = `refs/remotes/timescope/${opts.branch}`;
    const p = opts.path.replace(/^\.\/+/, '').replace(/\/+$/, '');
    this.pathspec = p === '' || p === '.' ? [] : ['--', p];
  }

  /** Ends the manifest parser's thread (the watcher is not polled afterwards). */
  async close(): Promise<void> {
    await this.parser.close();
  }

  private git(args: string[], timeoutMs?: number, maxBytes = MAX_LIST_BYTES, input?: string): Promise<string> {
    return git({ cwd: this.opts.cacheDir, timeoutMs, maxBytes, input }, args);
  }

  /** One cycle: fetch, find the new commits, record their events. Throws on git failures (the caller counts them). */
  async poll(): Promise<PollResult> {
    await this.init();
    await this.git(
      ['fetch', '--quiet', '--no-tags', '--force', this.remote(), `+refs/heads/${this.opts.branch}:${this.ref}`],
      120_000,
    );
    const head = (await this.git(['rev-parse', '--verify', `${this.ref}^{commit}`])).trim();
    const { range, limit, forcePush } = await this.rangeSince(head);
    let commits = 0;
    let events = 0;
    if (range !== undefined && limit === undefined) {
      // Every new commit, oldest first, a page at a time; the head reached is saved after each page so a restart
      // resumes there (events are idempotent: a page done twice records nothing twice).
      const shas = await this.newCommits(range);
      for (let i = 0; i < shas.length; i += COMMITS_PER_PAGE) {
        const page = await this.details(shas.slice(i, i + COMMITS_PER_PAGE));
        const files = await this.changedFiles(page);
        for (const c of page) {
          events += await this.record(c, files.get(c.sha) ?? []);
          this.stats.commitsProcessed++;
        }
        commits += page.length;
        if (i + COMMITS_PER_PAGE < shas.length) await this.saveHead(page[page.length - 1].sha);
      }
    } else if (range !== undefined && limit !== undefined) {
      for (const c of await this.commits(range, limit)) {
        events += await this.record(c);
        this.stats.commitsProcessed++;
        commits++;
      }
    }
    await this.saveHead(head);
    return { head, commits, events, forcePush };
  }

  private async saveHead(sha: string): Promise<void> {
    this.last = sha;
    await writeFile(join(this.opts.cacheDir, HEAD_FILE), sha + '\n');
  }

  /** The shas of `range` on the first-parent line, oldest first, all of them. */
  private async newCommits(range: string): Promise<string[]> {
    const out = await this.git(['rev-list', '--first-parent', '--reverse', range]);
    return out.split('\n').filter((l) => l !== '');
  }

  /** The files each commit changed against its first parent, under the path: one git process for a whole page. */
  private async changedFiles(page: Commit[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(page.map((c) => [c.sha, []]));
    if (page.length === 0) return out;
    const input = page.map((c) => (c.parent ? `${c.sha} ${c.parent}` : c.sha)).join('\n') + '\n';
    const args = ['diff-tree', '--stdin', '--root', '-r', '-z', '--name-only', '--no-renames', ...this.pathspec];
    const tokens = (await this.git(args, undefined, MAX_LIST_BYTES, input)).split('\0');
    // the output is each commit's sha followed by its files, in input order
    let next = 0;
    let current: string[] | undefined;
    for (const t of tokens) {
      const token = t.replace(/^\n/, '');
      if (token === '') continue;
      if (next < page.length && token === page[next].sha) {
        current = out.get(page[next].sha);
        next++;
      } else current?.push(token);
    }
    return out;
  }

  /** Author, time and message of these commits, in the order given. */
  private async details(shas: string[]): Promise<Commit[]> {
    if (shas.length === 0) return [];
    const out = await this.git(['log', '--no-walk=unsorted', `--format=${LOG_FORMAT}`, ...shas]);
    return parseLog(out);
  }

  private async init(): Promise<void> {
    if (this.initialized) return;
    await mkdir(this.opts.cacheDir, { recursive: true });
    if (!existsSync(join(this.opts.cacheDir, 'HEAD'))) await this.git(['init', '--bare', '--quiet']);
    if (this.opts.resume === false) {
      this.initialized = true;
      return;
    }
    try {
      const saved = (await readFile(join(this.opts.cacheDir, HEAD_FILE), 'utf8')).trim();
      if (/^[0-9a-f]{40,64}$/.test(saved)) this.last = saved;
    } catch {
      // first run: backfill
    }
    this.initialized = true;
  }

  /** Local paths are made absolute (git runs inside the cache); URLs and scp-like addresses are kept. */
  private remote(): string {
    const r = this.opts.repo;
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(r) || /^[^/]+@[^/]+:/.test(r) || isAbsolute(r)) return r;
    return resolve(r);
  }

  private async rangeSince(head: string): Promise<{ range?: string; limit?: number; forcePush: boolean }> {
    // backfill: the newest --git.backfill commits (a stated limit); after that every new commit (no limit)
    const backfill = { range: head, limit: this.opts.backfill, forcePush: false };
    const last = this.last;
    if (last === undefined) return this.opts.backfill > 0 ? backfill : { forcePush: false };
    if (last === head) return { forcePush: false };
    if (await this.isAncestor(last, head)) return { range: `${last}..${head}`, forcePush: false };
    // Force-push: the commits we saw may be gone. Their events stay (they were deployed); resume from the common
    // ancestor, or backfill as on a first start when the histories share nothing.
    this.stats.forcePushes++;
    const base = await this.mergeBase(last, head);
    this.opts.logger.warn('git: the branch was force-pushed', { branch: this.opts.branch, from: last, to: head, base });
    if (base === undefined) return { ...backfill, forcePush: true };
    return { range: `${base}..${head}`, forcePush: true };
  }

  private async isAncestor(a: string, b: string): Promise<boolean> {
    try {
      await this.git(['merge-base', '--is-ancestor', a, b]);
      return true;
    } catch (e) {
      if (e instanceof GitError) return false;
      throw e;
    }
  }

  private async mergeBase(a: string, b: string): Promise<string | undefined> {
    try {
      return (await this.git(['merge-base', a, b])).trim() || undefined;
    } catch (e) {
      if (e instanceof GitError) return undefined;
      throw e;
    }
  }

  /** The commits of `range` on the first-parent line, oldest first, at most `limit` (the newest ones). */
  async commits(range: string, limit: number): Promise<Commit[]> {
    if (limit <= 0) return [];
    const out = await this.git(['log', '--first-parent', `--max-count=${limit}`, `--format=${LOG_FORMAT}`, range]);
    return parseLog(out).reverse();
  }

  /** The workloads a commit changed (against its first parent). */
  async changes(c: Commit, changed?: string[]): Promise<WorkloadChange[]> {
    const diffArgs = c.parent
      ? ['diff-tree', '-r', '-z', '--name-only', '--no-renames', c.parent, c.sha]
      : ['diff-tree', '--root', '-r', '-z', '--name-only', '--no-renames', c.sha];
    const files =
      changed ?? (await this.git([...diffArgs, ...this.pathspec])).split('\0').filter((f) => f !== '' && f !== c.sha);
    const before: WorkloadManifest[] = [];
    const after: WorkloadManifest[] = [];
    for (const file of files.filter(isManifestFile)) {
      let next: string | undefined;
      let prev: string | undefined;
      try {
        next = await this.read(c.sha, file);
        prev = c.parent ? await this.read(c.parent, file) : undefined;
      } catch (e) {
        if (!(e instanceof ManifestTooLargeError)) throw e;
        // Refused, not missing: reading it as absent would record its workloads as removed.
        this.stats.malformedFiles++;
        this.opts.logger.warn('git: skipped a manifest too large to read', { commit: c.sha, error: e.message });
        continue;
      }
      const parsedNext = await this.parser.parse(next ?? '', this.opts.defaultNamespace);
      if (parsedNext.errors.length > 0) {
        // A broken file says nothing reliable about its workloads: ignore it for this commit rather than
        // report its workloads as removed.
        this.stats.malformedFiles++;
        this.opts.logger.warn('git: skipped a manifest that does not parse', {
          commit: c.sha,
          file,
          error: parsedNext.errors[0],
        });
        continue;
      }
      const parsedPrev = await this.parser.parse(prev ?? '', this.opts.defaultNamespace);
      before.push(...parsedPrev.workloads);
      after.push(...parsedNext.workloads);
    }
    return diffWorkloads(before, after);
  }

  /** The file at `rev`, undefined when it does not exist there; throws ManifestTooLargeError or git's error. */
  private async read(rev: string, file: string): Promise<string | undefined> {
    try {
      return await this.git(['cat-file', 'blob', `${rev}:${file}`], undefined, MAX_MANIFEST_BYTES);
    } catch (e) {
      if (!(e instanceof GitError)) throw e;
      if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') throw new ManifestTooLargeError(file);
      if (/does not exist|exists on disk, but not in|not a valid object name/i.test(e.stderr)) return undefined;
      throw e;
    }
  }

  private async record(c: Commit, files?: string[]): Promise<number> {
    const changes = await this.changes(c, files);
    let n = 0;
    for (const ch of changes) {
      const event = this.event(c, ch);
      try {
        this.opts.journal.refuseExpired(event);
      } catch (e) {
        if (e instanceof ExpiredEventError) continue; // a backfilled commit older than the retention
        throw e;
      }
      await this.opts.journal.append(event);
      this.stats.eventsRecorded++;
      n++;
    }
    return n;
  }

  event(c: Commit, ch: WorkloadChange): DeployEventInput {
    const e: DeployEventInput = {
      source: 'git',
      namespace: ch.namespace,
      workload: ch.name,
      kind: ch.kind,
      revision: c.sha,
      author: c.author,
      subject: c.subject,
      url: commitUrl(this.opts.commitUrl, c.sha),
      status: 'started',
      startedAt: c.time,
      images: ch.images,
    };
    if (c.body !== '') e.message = `${c.subject}\n\n${c.body}`;
    if (ch.replicas) e.replicas = ch.replicas;
    if (ch.version) e.version = ch.version;
    return e;
  }
}

const LOG_FORMAT = '%H%x1f%P%x1f%an%x1f%ct%x1f%s%x1f%b%x1e';

function parseLog(out: string): Commit[] {
  const commits: Commit[] = [];
  for (const rec of out.split('\x1e')) {
    const f = rec.replace(/^\n/, '').split('\x1f');
    if (f.length < 6 || f[0] === '') continue;
    commits.push({
      sha: f[0],
      parent: f[1].split(' ')[0] || undefined,
      author: f[2],
      time: Number(f[3]) * 1000,
      subject: f[4],
      body: f[5].trim(),
    });
  }
  return commits;
}

export function commitUrl(template: string, sha: string): string {
  return template.replaceAll('{sha}', sha).replaceAll('{short}', sha.slice(0, 12));
}
