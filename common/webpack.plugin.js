// The one webpack configuration both Grafana plugins build with (@grafana/create-plugin's layout):
// src/module.ts -> dist/module.js as an AMD module, Grafana's shared libraries left external so the plugin uses
// the instances Grafana (or the e2e plugin host) supplies; plugin.json, README, CHANGELOG, LICENSE and img/ copied to
// dist/, and the source map's paths made to resolve.
const fs = require('node:fs');
const path = require('node:path');

const { tidySourceMap } = require('./webpack/sourceMaps.js');

// The modules Grafana's frontend shares with plugins (the keys of sharedDependenciesMap in grafana/grafana's
// public/app/features/plugins/loader/sharedDependencies.ts, 12.3 and 13): the only bare names a plugin's define()
// may list, besides SystemJS' `module`. Anything else (react-dom/client, @grafana/schema, ...) is bundled or avoided.
const SHARED = [
  '@emotion/css',
  '@emotion/react',
  '@grafana/data',
  '@grafana/ui',
  '@grafana/runtime',
  '@grafana/slate-react',
  '@grafana/e2e-selectors',
  'd3',
  'emotion',
  'i18next',
  'jquery',
  'lodash',
  'moment',
  'prismjs',
  'react',
  'react-dom',
  'react-inlinesvg',
  'react-redux',
  'redux',
  'react-router',
  'react-router-dom',
  'rxjs',
  'rxjs/operators',
  'slate',
  'slate-plain-serializer',
  'react/jsx-runtime',
];

// TypeScript and JSX through swc; @grafana/ui's ESM imports without extensions (ol/format/WKT) resolve.
const SOURCE_RULES = [
  {
    test: /\.[jt]sx?$/,
    exclude: /node_modules/,
    use: {
      loader: 'swc-loader',
      options: {
        jsc: {
          parser: { syntax: 'typescript', tsx: true },
          transform: { react: { runtime: 'automatic' } },
          target: 'es2020',
        },
      },
    },
  },
  { test: /\.m?js$/, resolve: { fullySpecified: false } },
];

/** The first module of every bundle: sets the public path from the AMD `module` dependency. */
const PUBLIC_PATH_MODULE = path.join(__dirname, 'webpack', 'publicPath.js');

class CopyStatic {
  constructor(dir) {
    this.dir = dir;
  }
  apply(compiler) {
    compiler.hooks.afterEmit.tap('CopyStatic', () => {
      const out = compiler.options.output.path;
      const copy = (from, to) => fs.existsSync(from) && fs.cpSync(from, to, { recursive: true });
      copy(path.join(this.dir, 'src', 'plugin.json'), path.join(out, 'plugin.json'));
      copy(path.join(this.dir, 'src', 'img'), path.join(out, 'img'));
      for (const f of ['README.md', 'CHANGELOG.md']) copy(path.join(this.dir, f), path.join(out, f));
      // the repository's licence, unless the plugin has its own
      const license = path.join(this.dir, 'LICENSE');
      copy(fs.existsSync(license) ? license : path.join(__dirname, '..', 'LICENSE'), path.join(out, 'LICENSE'));
      for (const f of fs.readdirSync(out)) if (f.endsWith('.js.map')) tidySourceMap(path.join(out, f), this.dir);
      // The README links images as src/img/... (right from the workspace folder); in dist they sit in img/.
      const readme = path.join(out, 'README.md');
      if (fs.existsSync(readme)) {
        fs.writeFileSync(readme, fs.readFileSync(readme, 'utf8').replace(/\]\(src\/img\//g, '](img/'));
      }
    });
  }
}

/** @param {{ dir: string }} opts the plugin workspace folder */
function makePluginConfig({ dir }) {
  const { id } = JSON.parse(fs.readFileSync(path.join(dir, 'src', 'plugin.json'), 'utf8'));
  return (_env, argv) => ({
    mode: argv.mode || 'production',
    context: dir,
    // the public path module first, so it runs before any chunk or image import needs the path
    entry: { module: [PUBLIC_PATH_MODULE, './src/module.ts'] },
    devtool: 'source-map',
    target: 'web',
    output: {
      path: path.join(dir, 'dist'),
      filename: '[name].js',
      library: { type: 'amd' },
      // Grafana serves a plugin from public/plugins/<id>/; publicPath.js replaces it with module.js' own folder
      publicPath: `public/plugins/${id}/`,
      clean: true,
    },
    // `amd-module` (imported by publicPath.js) is SystemJS' `module`: define(['module', ...])
    externals: [...SHARED, { 'amd-module': 'module' }],
    resolve: {
      extensions: ['.ts', '.tsx', '.js', '.jsx', '.mjs'],
      alias: { '@timescope/common': path.join(__dirname, 'src', 'index.ts') },
    },
    module: {
      rules: [...SOURCE_RULES],
    },
    performance: { hints: false },
    plugins: [new CopyStatic(dir)],
  });
}

/** What a plugin's define() may list: the shared modules and SystemJS' `module`. */
const DEFINE_DEPENDENCIES = [...SHARED, 'module'];

module.exports = { makePluginConfig, SHARED, DEFINE_DEPENDENCIES, SOURCE_RULES };
