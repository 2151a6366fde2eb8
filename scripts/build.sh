#!/usr/bin/env bash
# Builds every workspace in dependency order: common -> exporter, plugins -> e2e plugin host.
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsc -p common/tsconfig.build.json
npx tsc -p exporter/tsconfig.build.json
npx tsc -p demo/tsconfig.build.json
chmod +x exporter/dist/cli.js 2>/dev/null || true
for p in datasource-plugin panel-plugin; do
  if [ -f "$p/webpack.config.js" ]; then (cd "$p" && npx webpack --mode production --config webpack.config.js --no-stats); fi
done
if [ -f e2e/host/webpack.config.js ]; then npx webpack --config e2e/host/webpack.config.js --no-stats; fi
