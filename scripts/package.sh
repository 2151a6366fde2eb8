#!/usr/bin/env bash
# npm run package: builds both Grafana plugins and writes them as the zips Grafana's plugin installer takes,
# dist-packages/<plugin-id>-<version>.zip (one folder named after the plugin id holding the plugin's dist/).
# Arguments go to scripts/package.mjs, e.g. npm run package -- --out=/tmp/plugins
set -euo pipefail
cd "$(dirname "$0")/.."
# Only the npm workspaces are needed here (not setup.sh's Debian packages).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
for p in datasource-plugin panel-plugin; do
  (cd "$p" && npx webpack --mode production --config webpack.config.js --no-stats)
done
exec node scripts/package.mjs "$@"
