// Both built plugins (datasource-plugin/dist, panel-plugin/dist: what Grafana installs and the plugin validator
// reads): module.js asks Grafana's SystemJS only for modules Grafana shares, plus `module` for its public path;
// LICENSE, logos and screenshots are there; the source map's paths resolve to the repository's files; the READMEs
// say what signing needs. Build first (npm run build).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire, SourceMap, type SourceMapPayload } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';

const ROOT = join(__dirname, '..');
const PLUGINS = ['datasource-plugin', 'panel-plugin'];

// The keys of sharedDependenciesMap in grafana/grafana public/app/features/plugins/loader/sharedDependencies.ts
// (12.3 and 13; react/jsx-runtime from 12.2.5 on): every other bare name fails to load in Grafana. The plugins'
// webpack configuration (plain CommonJS) holds the one list; the build leaves exactly these external.
const { SHARED: GRAFANA_SHARED } = createRequire(__filename)('../common/webpack.plugin.js') as { SHARED: string[] };

interface PluginJson {
  id: string;
  info: { logos: { small: string; large: string }; screenshots: Array<{ name: string; path: string }> };
}

describe.each(PLUGINS)('%s/dist', (plugin) => {
  const dist = join(ROOT, plugin, 'dist');
  const read = (f: string): string => readFileSync(join(dist, f), 'utf8');

  it('module.js is an AMD module asking only for modules Grafana shares, and `module` for its public path', () => {
    const m = /^define\((\[[^\]]*\])/.exec(read('module.js'));
    expect(m).not.toBeNull();
    const deps = JSON.parse(m![1]) as string[];
    expect(deps).toContain('module');
    expect(deps.filter((d) => d !== 'module' && !GRAFANA_SHARED.includes(d))).toEqual([]);
    expect(deps).not.toContain('react-dom/client');
    expect(deps).not.toContain('@grafana/schema');
  });

  it('sets the public path from the `module` uri before the plugin module runs', () => {
    const code = read('module.js');
    const setPath = code.indexOf('.uri');
    expect(setPath).toBeGreaterThan(-1);
    // the plugin's own export (`plugin`) is defined after the public path is set
    expect(code.indexOf('plugin:()=>')).toBeGreaterThan(setPath);
  });

  it('holds LICENSE, and logos and screenshots that exist', () => {
    expect(read('LICENSE')).toMatch(/^\s*Apache License\s+Version 2\.0/);
    const p = JSON.parse(read('plugin.json')) as PluginJson;
    expect(p.info.screenshots.length).toBeGreaterThan(0);
    const files = [p.info.logos.small, p.info.logos.large, ...p.info.screenshots.map((s) => s.path)];
    for (const f of files) expect({ f, exists: existsSync(join(dist, f)) }).toEqual({ f, exists: true });
  });

  it("the source map's sources are relative paths to the repository's files, with their content", () => {
    const mapFile = join(dist, 'module.js.map');
    const map = JSON.parse(readFileSync(mapFile, 'utf8')) as SourceMapPayload & { sourcesContent?: string[] };
    expect(map.sources.length).toBeGreaterThan(0);
    const bad = map.sources.filter((s) => isAbsolute(s) || /^[a-z]+:/i.test(s) || !existsSync(resolve(dist, s)));
    expect(bad).toEqual([]);
    expect(map.sources).toContain('../src/module.ts');
    map.sources.forEach((s, i) => {
      expect({ s, same: map.sourcesContent?.[i] === readFileSync(resolve(dist, s), 'utf8') }).toEqual({
        s,
        same: true,
      });
    });
  });

  it('the source map still maps module.js: sampled positions land on real lines of the listed sources', () => {
    const mapFile = join(dist, 'module.js.map');
    const payload = JSON.parse(readFileSync(mapFile, 'utf8')) as SourceMapPayload;
    const sm = new SourceMap(payload);
    const code = read('module.js').split('\n');
    let mapped = 0;
    code.forEach((line, l) => {
      for (let c = 0; c < line.length; c += 997) {
        const e = sm.findEntry(l, c) as { originalSource?: string; originalLine?: number };
        if (!e.originalSource) continue;
        mapped++;
        const file = resolve(dirname(mapFile), e.originalSource);
        expect(existsSync(file)).toBe(true);
        expect(e.originalLine).toBeLessThan(readFileSync(file, 'utf8').split('\n').length);
      }
    });
    expect(mapped).toBeGreaterThan(10);
  });

  it('the README says what signing needs', () => {
    const readme = readFileSync(join(ROOT, plugin, 'README.md'), 'utf8');
    expect(readme).toContain('@grafana/sign-plugin');
    expect(readme).toContain('GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS');
  });
});
