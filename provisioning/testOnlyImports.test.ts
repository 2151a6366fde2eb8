// The history fixtures and the Prometheus starters in common are for tests: lint refuses them in what ships (the
// plugins' and the exporter's sources), and allows them beside tests.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const SOURCE = "import { startPrometheus } from '@timescope/common/testing';\nexport const start = startPrometheus;\n";
const HISTORY = "import { scenario } from '@timescope/common/history';\nexport const s = scenario;\n";

interface LintMessage {
  ruleId: string | null;
  message: string;
}

// eslint's flat config is an ES module, which jest's module sandbox cannot import: lint in a child, as `npm run lint`.
async function restricted(file: string, text: string): Promise<string[]> {
  const eslint = join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
  const args = [eslint, '--stdin', '--stdin-filename', join(ROOT, file), '--format', 'json'];
  const out = spawnSync(process.execPath, args, { cwd: ROOT, input: text, encoding: 'utf8' });
  const [result] = JSON.parse(out.stdout) as { messages: LintMessage[] }[];
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

jest.setTimeout(60_000);

describe('test-only modules of common', () => {
  it.each(['panel-plugin/src/render/x.ts', 'datasource-plugin/src/core/x.ts', 'exporter/src/sources/x.ts'])(
    'are refused in %s',
    async (file) => {
      expect(await restricted(file, SOURCE)).toEqual([expect.stringContaining('test-only')]);
      expect(await restricted(file, HISTORY)).toEqual([expect.stringContaining('test-only')]);
    },
  );

  it.each(['panel-plugin/src/render/x.test.ts', 'exporter/src/testutil/x.ts', 'bench/x.bench.ts', 'demo/src/x.ts'])(
    'are allowed in %s',
    async (file) => {
      expect(await restricted(file, SOURCE)).toEqual([]);
    },
  );
});
