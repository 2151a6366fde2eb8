// The one webpack configuration both Grafana plugins build with (@grafana/create-plugin's layout):
// src/module.ts -> dist/module.js as an AMD module, Grafana's shared libraries left external so the plugin uses
// the instances Grafana (or the e2e plugin host) supplies; plugin.json, README, CHANGELOG and img/ copied to dist/.
const fs = require('node:fs');
const path = require('node:path');

const SHARED = [
  'react',
  'react-dom',
  'react/jsx-runtime',
  'react-dom/client',
  '@grafana/data',
  '@grafana/ui',
  '@grafana/runtime',
  '@grafana/schema',
  '@emotion/css',
  '@emotion/react',
  'rxjs',
  'rxjs/operators',
  'lodash',
  'moment',
  'd3',
];

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
      for (const f of ['README.md', 'CHANGELOG.md', 'LICENSE']) copy(path.join(this.dir, f), path.join(out, f));
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
  return (_env, argv) => ({
    mode: argv.mode || 'production',
    context: dir,
    entry: { module: './src/module.ts' },
    devtool: 'source-map',
    target: 'web',
    output: {
      path: path.join(dir, 'dist'),
      filename: '[name].js',
      library: { type: 'amd' },
      publicPath: 'auto',
      clean: true,
    },
    externals: SHARED,
    resolve: {
      extensions: ['.ts', '.tsx', '.js', '.jsx', '.mjs'],
      alias: { '@timescope/common': path.join(__dirname, 'src', 'index.ts') },
    },
    module: {
      rules: [
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
      ],
    },
    performance: { hints: false },
    plugins: [new CopyStatic(dir)],
  });
}

module.exports = { makePluginConfig, SHARED };
