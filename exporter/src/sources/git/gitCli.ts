// Runs the system `git` binary on the watcher's cache repository: never prompts for credentials, bounded in time
// and output, and reports git's own message when it fails.
import { execFile } from 'node:child_process';

export class GitError extends Error {
  constructor(
    readonly args: string[],
    readonly stderr: string,
    readonly code: number | string | null,
  ) {
    super(`git ${args[0] ?? ''} failed (${String(code)}): ${stderr.trim().slice(0, 500)}`);
  }
}

export interface GitOptions {
  /** folder git runs in (`-C`) */
  cwd: string;
  timeoutMs?: number;
  maxBytes?: number;
  /** written to git's stdin (e.g. `diff-tree --stdin`) */
  input?: string;
}

export function git(opts: GitOptions, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      args,
      {
        cwd: opts.cwd,
        timeout: opts.timeoutMs ?? 60_000,
        maxBuffer: opts.maxBytes ?? 64 << 20,
        encoding: 'utf8',
        env: {
          ...process.env,
          GIT_TERMINAL_PROMPT: '0',
          GIT_ASKPASS: 'true',
          SSH_ASKPASS: 'true',
          LC_ALL: 'C',
          GIT_CONFIG_NOSYSTEM: '1',
        },
      },
      (err, stdout, stderr) => {
        if (err) {
          const code = (err as NodeJS.ErrnoException & { code?: number | string }).code ?? null;
          reject(new GitError(args, String(stderr || err.message), code));
        } else resolve(stdout);
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}
