// `promtool check metrics`, the Prometheus project's own linter for exposition text.
import { execFile } from 'node:child_process';

/** Runs `promtool check metrics` on the text; returns its exit code and output (warnings included). */
export async function promtoolCheck(text: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = execFile('promtool', ['check', 'metrics'], (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, output: (stdout + stderr).trim() });
    });
    child.stdin?.end(text);
  });
}
