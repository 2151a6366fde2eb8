// The built panel plugin (panel-plugin/dist, what Grafana installs): an AMD module.js using Grafana's shared
// libraries, plugin.json with its dependency and logos, README and CHANGELOG, and every file they point at.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

// The webpack configuration is plain CommonJS; its list of Grafana's shared libraries (plus SystemJS' `module`,
// which sets the public path) is the reference.
const { DEFINE_DEPENDENCIES: SHARED } = createRequire(__filename)('../common/webpack.plugin.js') as {
  DEFINE_DEPENDENCIES: string[];
};

const DIST = join(__dirname, '..', 'panel-plugin', 'dist');
const read = (f: string) => readFileSync(join(DIST, f), 'utf8');

interface PluginJson {
  id: string;
  type: string;
  info: { version: string; logos: { small: string; large: string }; screenshots: Array<{ path: string }> };
  dependencies: { grafanaDependency: string };
}

describe('panel-plugin/dist', () => {
  it('holds module.js as an AMD module whose dependencies are only Grafana shared libraries', () => {
    const m = /^define\((\[[^\]]*\])/.exec(read('module.js'));
    expect(m).not.toBeNull();
    const deps = JSON.parse(m![1]) as string[];
    expect(deps).toEqual(expect.arrayContaining(['@grafana/data', '@grafana/ui', 'react']));
    expect(deps.filter((d) => !SHARED.includes(d))).toEqual([]);
  });

  it('holds plugin.json with the id, a Grafana dependency, and logos and screenshots that exist', () => {
    const p = JSON.parse(read('plugin.json')) as PluginJson;
    expect(p).toMatchObject({ id: 'timescope-servicegraph-panel', type: 'panel' });
    expect(p.id).toMatch(/^[0-9a-z]+-([0-9a-z]+-)?(app|panel|datasource)$/);
    expect(p.dependencies.grafanaDependency).toMatch(/^>=\d+\.\d+\.\d+$/);
    expect(p.info.version).toBe(
      (JSON.parse(readFileSync(join(DIST, '..', 'package.json'), 'utf8')) as { version: string }).version,
    );
    const files = [p.info.logos.small, p.info.logos.large, ...p.info.screenshots.map((s) => s.path)];
    expect(p.info.screenshots.length).toBeGreaterThan(0);
    for (const f of files) expect({ f, exists: existsSync(join(DIST, f)) }).toEqual({ f, exists: true });
  });

  it('holds the README and CHANGELOG, and the README links images that are in dist', () => {
    const readme = read('README.md');
    expect(read('CHANGELOG.md')).toContain('## 0.1.0');
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
    expect(images).toEqual(['img/screenshot.png']);
    for (const f of images) expect(existsSync(join(DIST, f))).toBe(true);
    // ...and from the workspace folder, where the README is read in the repository.
    const source = readFileSync(join(DIST, '..', 'README.md'), 'utf8');
    for (const [, f] of source.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)) expect(existsSync(join(DIST, '..', f))).toBe(true);
  });
});
