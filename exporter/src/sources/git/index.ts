// The git source: with --git.repo, polls a GitOps repository every --git.poll-interval and records one deploy event
// per workload each new commit changes. A failing poll (repository unreachable, git error) sets
// timescope_source_up{source="git"} to 0 and is retried on the next interval; it never stops the exporter.
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Component, ComponentModule, Context, FlagSpec } from '../../runtime/source';
import { deployJournal } from '../../journal';
import { SourceHealth } from '../../runtime/sourceHealth';
import { GitError } from './gitCli';
import { GitWatcher } from './gitWatcher';

export const gitFlags: FlagSpec[] = [
  {
    name: 'git.repo',
    help: 'GitOps repository to watch for deploys: a local path or a URL the system git can fetch. Unset: no git watcher.',
    type: 'string',
  },
  { name: 'git.branch', help: 'Branch to follow.', type: 'string', default: 'main' },
  {
    name: 'git.path',
    help: 'Subfolder holding the Kubernetes manifests ("" for the whole repository).',
    type: 'string',
    default: '',
  },
  { name: 'git.poll-interval', help: 'How often to fetch the branch.', type: 'duration', default: '30s' },
  {
    name: 'git.commit-url',
    help: 'Link template for commits, {sha} (and {short}) replaced, e.g. https://git.example.org/org/repo/commit/{sha}.',
    type: 'string',
    default: '',
  },
  {
    name: 'git.backfill',
    help: 'Commits walked on the first start, so past deploys show at once.',
    type: 'int',
    default: '50',
  },
  {
    name: 'git.cache-dir',
    help: 'Where the bare clone is kept (default: <events.path>/git-cache, or a temporary folder).',
    type: 'string',
  },
  { name: 'git.default-namespace', help: 'Namespace of manifests that name none.', type: 'string', default: 'default' },
];

function str(ctx: Context, name: string, fallback = ''): string {
  const v = ctx.config[name];
  return typeof v === 'string' ? v : fallback;
}

function num(ctx: Context, name: string, fallback: number): number {
  const v = ctx.config[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

/** One cache per repository + branch, so two exporters' flags never share a half-fetched clone. */
function defaultCacheDir(ctx: Context, repo: string, branch: string): string {
  const key = createHash('sha256').update(`${repo}\n${branch}`).digest('hex').slice(0, 12);
  const events = str(ctx, 'events.path');
  return events ? join(events, 'git-cache', key) : join(tmpdir(), `timescope-git-${key}`);
}

export class GitComponent implements Component {
  readonly name = 'git';
  readonly collectors;
  private readonly health: SourceHealth;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private stopped = false;
  private polled = false;

  constructor(
    private readonly ctx: Context,
    readonly watcher: GitWatcher,
    private readonly intervalMs: number,
  ) {
    this.health = new SourceHealth('git', ctx.hostname);
    this.collectors = [this.health];
  }

  async start(): Promise<void> {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.inFlight;
  }

  /** ready once the first poll (the backfill) finished, successfully or not */
  ready(): boolean {
    return this.polled;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.inFlight = this.cycle().finally(() => {
        this.inFlight = undefined;
        this.schedule(this.intervalMs);
      });
    }, delayMs);
  }

  private async cycle(): Promise<void> {
    const started = performance.now();
    const malformedBefore = this.watcher.stats.malformedFiles;
    try {
      const r = await this.watcher.poll();
      this.health.cycle(true, (performance.now() - started) / 1000);
      if (r.commits > 0)
        this.ctx.logger.info('git: new commits', { head: r.head, commits: r.commits, events: r.events });
    } catch (e) {
      this.health.cycle(false, (performance.now() - started) / 1000);
      this.health.error('io');
      this.ctx.logger.error('git: poll failed', { error: e instanceof GitError ? e.message : String(e) });
    } finally {
      const malformed = this.watcher.stats.malformedFiles - malformedBefore;
      if (malformed > 0) this.health.error('malformed', malformed);
      this.polled = true;
    }
  }
}

export const gitModule: ComponentModule = {
  flags: gitFlags,
  create(ctx: Context): Component | undefined {
    const repo = str(ctx, 'git.repo');
    if (repo === '') return undefined;
    const branch = str(ctx, 'git.branch', 'main');
    const watcher = new GitWatcher({
      repo,
      branch,
      path: str(ctx, 'git.path'),
      commitUrl: str(ctx, 'git.commit-url'),
      backfill: Math.max(0, num(ctx, 'git.backfill', 50)),
      cacheDir: str(ctx, 'git.cache-dir') || defaultCacheDir(ctx, repo, branch),
      defaultNamespace: str(ctx, 'git.default-namespace', 'default') || 'default',
      journal: deployJournal(ctx),
      logger: ctx.logger,
      resume: str(ctx, 'events.path') !== '',
    });
    return new GitComponent(ctx, watcher, Math.max(1, num(ctx, 'git.poll-interval', 30)) * 1000);
  },
};
