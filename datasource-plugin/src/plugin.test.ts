// The plugin as Grafana's installer sees it: plugin.json's required fields, and a webpack build whose output folder
// holds module.js (AMD, Grafana's libraries external), plugin.json, the logos, README.md and CHANGELOG.md.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import webpack from 'webpack';

jest.setTimeout(180_000);

const ROOT = join(__dirname, '..');
const meta = JSON.parse(readFileSync(join(__dirname, 'plugin.json'), 'utf8')) as {
  id: string;
  type: string;
  metrics?: boolean;
  annotations?: boolean;
  info: { version: string; logos: { small: string; large: string } };
  dependencies: { grafanaDependency?: string };
};

describe('plugin.json', () => {
  it('declares a datasource with metrics and annotations, and the Grafana versions it needs', () => {
    expect(meta.id).toBe('timescope-topology-datasource');
    expect(meta.id).toMatch(/^[0-9a-z]+-([0-9a-z]+-)?(app|panel|datasource)$/);
    expect(meta.type).toBe('datasource');
    expect(meta.metrics).toBe(true);
    expect(meta.annotations).toBe(true);
    expect(meta.dependencies.grafanaDependency).toMatch(/^>=\d+\.\d+\.\d+$/);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(meta.info.version).toBe(pkg.version);
  });

  it('has a README and a CHANGELOG entry for its version', () => {
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain('# Timescope Topology datasource');
    expect(readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8')).toContain(`## ${meta.info.version}`);
  });
});

describe('the webpack build', () => {
  const out = mkdtempSync(join(tmpdir(), 'timescope-ds-build-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('writes module.js, plugin.json, logos, README and CHANGELOG into the plugin folder', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const make = require(join(ROOT, 'webpack.config.js')) as (
      env: unknown,
      argv: { mode: string },
    ) => webpack.Configuration;
    const config = make({}, { mode: 'production' });
    config.output = { ...config.output, path: out };
    config.devtool = false;
    const stats = await new Promise<webpack.Stats>((resolve, reject) =>
      webpack(config, (err, s) => (err || !s ? reject(err ?? new Error('no stats')) : resolve(s))),
    );
    expect(stats.hasErrors() ? stats.toString('errors-only') : '').toBe('');
    const mod = readFileSync(join(out, 'module.js'), 'utf8');
    expect(mod.startsWith('define([')).toBe(true);
    const deps = JSON.parse(/^define\((\[[^\]]*\])/.exec(mod)?.[1] ?? '[]') as string[];
    expect(deps).toEqual(expect.arrayContaining(['@grafana/data', '@grafana/runtime', '@grafana/ui', 'rxjs']));
    expect(mod.length).toBeLessThan(500_000); // Grafana's libraries and React are not bundled
    for (const f of ['plugin.json', 'README.md', 'CHANGELOG.md', meta.info.logos.small, meta.info.logos.large]) {
      expect({ f, exists: existsSync(join(out, f)) }).toEqual({ f, exists: true });
    }
  });
});
