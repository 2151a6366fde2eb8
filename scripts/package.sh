#!/usr/bin/env bash
# npm run package: builds both Grafana plugins and writes them as the zips Grafana's plugin installer takes,
# dist-packages/<plugin-id>-<version>.zip (one folder named after the plugin id holding the plugin's dist/).
# Arguments go to scripts/package.mjs, e.g. npm run package -- --out=/tmp/plugins
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
for p in datasource-plugin panel-plugin; do
  (cd "$p" && npx webpack --mode production --config webpack.config.js --no-stats)
done
exec node scripts/package.mjs "$@"
