// The demo's GitOps repository: a real git repository (the system git) holding one Deployment manifest per
// workload. Scripted deploys commit to it; the applier reads the shop back from a commit, as a GitOps controller would.
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MANIFESTS_DIR, manifestPath, parseManifest, renderManifest } from './manifests';
import type { Workload } from './shop';

const run = promisify(execFile);
export const BRANCH = 'main';

export interface Commit {
  sha: string;
  /** commit time in seconds since the epoch (git's resolution) */
  time: number;
  subject: string;
}

export class GitOpsRepo {
  constructor(readonly dir: string) {}

  private async git(...args: string[]): Promise<string> {
    const { stdout } = await run('git', args, { cwd: this.dir, maxBuffer: 16 << 20 });
    return stdout;
  }

  /** Creates the repository with the given shop as its first commit (an existing folder is replaced). */
  static async create(dir: string, shop: Workload[]): Promise<{ repo: GitOpsRepo; commit: Commit }> {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const repo = new GitOpsRepo(dir);
    await repo.git('init', '-q', '-b', BRANCH);
    await repo.git('config', 'user.name', 'Timescope demo');
    await repo.git('config', 'user.email', 'demo@timescope.invalid');
    await repo.git('config', 'commit.gpgsign', 'false');
    writeFileSync(
      join(dir, 'README.md'),
      '# Shop manifests\n\nOne Deployment per workload of the Timescope demo shop, namespace `shop`.\n',
    );
    const commit = await repo.commitShop(shop, 'Initial shop: 13 services and a load test of 2 processes');
    return { repo, commit };
  }

  /** Writes the manifests of `shop` (removing workloads no longer in it) and commits them. */
  async commitShop(shop: Workload[], subject: string): Promise<Commit> {
    rmSync(join(this.dir, MANIFESTS_DIR), { recursive: true, force: true });
    mkdirSync(join(this.dir, MANIFESTS_DIR), { recursive: true });
    for (const w of shop) writeFileSync(join(this.dir, manifestPath(w.name)), renderManifest(w));
    await this.git('add', '-A', '--', '.');
    await this.git('commit', '-q', '--allow-empty', '-m', subject);
    return this.head();
  }

  async head(): Promise<Commit> {
    const out = await this.git('log', '-1', '--format=%H%x00%ct%x00%s', BRANCH);
    const [sha, time, subject] = out.trim().split('\0');
    return { sha, time: Number(time), subject };
  }

  /** The shop as declared by the manifests of commit `sha`. */
  async shopAt(sha: string): Promise<Workload[]> {
    const files = (await this.git('ls-tree', '--name-only', `${sha}:${MANIFESTS_DIR}`)).split('\n').filter(Boolean);
    const shop: Workload[] = [];
    for (const f of files.filter((n) => n.endsWith('.yaml')).sort()) {
      const path = `${MANIFESTS_DIR}/${f}`;
      shop.push(parseManifest(await this.git('show', `${sha}:${path}`), path));
    }
    return shop;
  }
}
