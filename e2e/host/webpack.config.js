// Builds the plugin host page for one Grafana line (e2e/host/dist/<line>/host.js): React and Grafana's libraries in
// one bundle, handed to the plugins' AMD module.js by loader.ts (SystemJS). One React: every import of
// react/react-dom resolves to the same copy.
//   --env line=13: React 19 and @grafana/* 13.2 (the workspaces' own)
//   --env line=12: React 18 and @grafana/* 12.3, from e2e/host/grafana12/node_modules (scripts/setup.sh installs it)
const fs = require('node:fs');
const path = require('node:path');
const { SOURCE_RULES } = require('../../common/webpack.plugin.js');

const root = path.join(__dirname, '..', '..');

function lineConfig(line) {
  if (line === '13') return { from: path.join(root, 'panel-plugin'), modules: ['node_modules'] };
  if (line === '12') {
    const dir = path.join(__dirname, 'grafana12');
    if (!fs.existsSync(path.join(dir, 'node_modules', '@grafana', 'ui'))) {
      throw new Error('e2e/host/grafana12/node_modules is missing: run scripts/setup.sh');
    }
    return { from: dir, modules: [path.join(dir, 'node_modules'), 'node_modules'] };
  }
  throw new Error(`unknown Grafana line ${line} (12 or 13)`);
}

module.exports = (env = {}) => {
  const line = String(env.line ?? '13');
  const { from, modules } = lineConfig(line);
  const react = path.dirname(require.resolve('react/package.json', { paths: [from] }));
  const reactDom = path.dirname(require.resolve('react-dom/package.json', { paths: [from] }));
  return {
    // React's and Grafana's production builds, as Grafana serves them (the development ones are several times
    // slower, which would skew the benchmark); not minified, so the build stays quick and readable.
    mode: 'production',
    optimization: { minimize: false },
    context: __dirname,
    entry: { host: './src/index.tsx' },
    devtool: false,
    target: 'web',
    output: { path: path.join(__dirname, 'dist', line), filename: '[name].js', publicPath: '/', clean: true },
    resolve: {
      modules,
      extensions: ['.ts', '.tsx', '.js', '.jsx', '.mjs'],
      alias: { react, 'react-dom': reactDom },
      fallback: { fs: false, path: false, os: false, crypto: false },
    },
    module: {
      rules: [...SOURCE_RULES, { test: /\.css$/, type: 'asset/source' }],
    },
    performance: { hints: false },
    stats: 'errors-only',
  };
};
