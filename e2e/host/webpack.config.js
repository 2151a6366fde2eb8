// Builds the plugin host page (e2e/host/dist/host.js): React 19 and Grafana's libraries in one bundle, handed to
// the plugins' AMD module.js by amd.ts. One React: every import of react/react-dom resolves to the same copy.
const path = require('node:path');

const root = path.join(__dirname, '..', '..');
const react = path.dirname(require.resolve('react/package.json', { paths: [path.join(root, 'panel-plugin')] }));
const reactDom = path.dirname(require.resolve('react-dom/package.json', { paths: [path.join(root, 'panel-plugin')] }));

module.exports = {
  // React's and Grafana's production builds, as Grafana serves them (the development ones are several times
  // slower, which would skew the benchmark); not minified, so the build stays quick and readable.
  mode: 'production',
  optimization: { minimize: false },
  context: __dirname,
  entry: { host: './src/index.tsx' },
  devtool: false,
  target: 'web',
  output: { path: path.join(__dirname, 'dist'), filename: '[name].js', publicPath: '/', clean: true },
  resolve: {
    extensions: ['.ts', '.tsx', '.js', '.jsx', '.mjs'],
    alias: { react, 'react-dom': reactDom },
    fallback: { fs: false, path: false, os: false, crypto: false },
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
      { test: /\.css$/, type: 'asset/source' },
    ],
  },
  performance: { hints: false },
  stats: 'errors-only',
};
