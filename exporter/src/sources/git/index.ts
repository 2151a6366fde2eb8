// The git source: with --git.repo, polls a GitOps repository every --git.poll-interval and records one deploy event
// per workload each new commit changes. A failing poll (repository unreachable, git error) sets
// timescope_source_up{source="git"} to 0 and is retried on the next interval; it never stops the exporter. The
// runtime runs the poll at its rate and publishes the health.
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Collector, Component, ComponentModule, Context, FlagSpec, Probe } from '../../runtime/source';
import { FlagError } from '../../runtime/config';
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

/** One cache per repository + branch, so two exporters' flags never share a half-fetched clone. */
function defaultCacheDir(ctx: Context, repo: string, branch: string): string {
  const key = createHash('sha256').update(`${repo}\n${branch}`).digest('hex').slice(0, 12);
  const events = ctx.config.string('events.path');
  return events ? join(events, 'git-cache', key) : join(tmpdir(), `timescope-git-${key}`);
}

export class GitComponent implements Component {
  readonly name = 'git';
  readonly collectors: Collector[] = [];
  readonly probe: Probe;
  private polled = false;

  constructor(
    private readonly ctx: Context,
    readonly watcher: GitWatcher,
    intervalSeconds: number,
  ) {
    this.probe = { intervalSeconds, cycle: () => this.cycle() };
  }

  async start(): Promise<void> {}

  /** The runtime has stopped the poll (and awaited the one in flight) before this. */
  async stop(): Promise<void> {
    await this.watcher.close();
  }

  /** ready once the first poll (the backfill) finished, successfully or not */
  ready(): boolean {
    return this.polled;
  }

  private async cycle(): Promise<boolean> {
    const malformedBefore = this.watcher.stats.malformedFiles;
    try {
      const r = await this.watcher.poll();
      if (r.commits > 0)
        this.ctx.logger.info('git: new commits', { head: r.head, commits: r.commits, events: r.events });
      return true;
    } catch (e) {
      this.ctx.health.error('io');
      this.ctx.logger.error('git: poll failed', { error: e instanceof GitError ? e.message : String(e) });
      return false;
    } finally {
      const malformed = this.watcher.stats.malformedFiles - malformedBefore;
      if (malformed > 0) this.ctx.health.error('malformed', malformed);
      this.polled = true;
    }
  }
}

export const gitModule: ComponentModule = {
  flags: gitFlags,
  source: {
    name: 'git',
    help: 'Record deploys from the commits of a GitOps repository (needs --git.repo).',
    // --git.repo alone turned the watcher on before the collector flags existed, and still does
    implied: (config) => config.isSet('git.repo') && config.string('git.repo') !== '',
    impliedText: 'on when --git.repo is set',
  },
  create(ctx: Context): Component {
    const { config } = ctx;
    const repo = config.string('git.repo');
    if (repo === '') throw new FlagError('--collector.git needs --git.repo (a local path or a URL)');
    const branch = config.optionalString('git.branch') ?? 'main';
    const watcher = new GitWatcher({
      repo,
      branch,
      path: config.string('git.path'),
      commitUrl: config.string('git.commit-url'),
      backfill: Math.max(0, config.int('git.backfill')),
      cacheDir: config.optionalString('git.cache-dir') ?? defaultCacheDir(ctx, repo, branch),
      defaultNamespace: config.optionalString('git.default-namespace') ?? 'default',
      journal: ctx.journal,
      logger: ctx.logger,
      resume: config.string('events.path') !== '',
    });
    return new GitComponent(ctx, watcher, Math.max(1, config.duration('git.poll-interval')));
  },
};
