// A real git repository for tests: commits with chosen authors and dates (GIT_AUTHOR_DATE / GIT_COMMITTER_DATE),
// so that events can be checked against exact times.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export class TestRepo {
  readonly dir: string;

  constructor(readonly branch = 'main') {
    this.dir = mkdtempSync(join(tmpdir(), 'timescope-gitops-'));
    this.git('init', '-q', '-b', branch);
    this.git('config', 'commit.gpgsign', 'false');
  }

  git(...args: string[]): string {
    return execFileSync('git', args, {
      cwd: this.dir,
      encoding: 'utf8',
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
    });
  }

  write(path: string, text: string): void {
    mkdirSync(dirname(join(this.dir, path)), { recursive: true });
    writeFileSync(join(this.dir, path), text);
  }

  remove(path: string): void {
    rmSync(join(this.dir, path));
  }

  /** Commits everything with this author and time (seconds since the epoch); returns the sha. */
  commit(subject: string, author: string, time: number, body = ''): string {
    this.git('add', '-A', '.');
    const date = `@${time} +0000`;
    const env = {
      ...process.env,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: author,
      GIT_AUTHOR_EMAIL: `${author.toLowerCase().replace(/\W+/g, '.')}@example.org`,
      GIT_COMMITTER_NAME: author,
      GIT_COMMITTER_EMAIL: `${author.toLowerCase().replace(/\W+/g, '.')}@example.org`,
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
    };
    const msg = body ? `${subject}\n\n${body}` : subject;
    execFileSync('git', ['commit', '-q', '--allow-empty', '-m', msg], { cwd: this.dir, env });
    return this.git('rev-parse', 'HEAD').trim();
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A Deployment manifest with one container. */
export function deployment(name: string, namespace: string, image: string, replicas?: number): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${namespace}`,
    'spec:',
    ...(replicas === undefined ? [] : [`  replicas: ${replicas}`]),
    '  selector:',
    `    matchLabels: { app: ${name} }`,
    '  template:',
    `    metadata: { labels: { app: ${name} } }`,
    '    spec:',
    '      containers:',
    `        - name: ${name}`,
    `          image: ${image}`,
    '',
  ].join('\n');
}

export function service(name: string, namespace: string): string {
  return [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${namespace}`,
    'spec:',
    `  selector: { app: ${name} }`,
    '  ports: [{ port: 80 }]',
    '',
  ].join('\n');
}
