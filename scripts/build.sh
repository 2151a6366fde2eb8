#!/usr/bin/env bash
# Builds every workspace in dependency order: common -> exporter, plugins -> e2e plugin host (both Grafana lines).
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsc -p common/tsconfig.build.json
npx tsc -p exporter/tsconfig.build.json
npx tsc -p demo/tsconfig.build.json
chmod +x exporter/dist/cli.js 2>/dev/null || true
for p in datasource-plugin panel-plugin; do
  if [ -f "$p/webpack.config.js" ]; then (cd "$p" && npx webpack --mode production --config webpack.config.js --no-stats); fi
done
# The plugin host, once per Grafana line: 13 (React 19) always, 12 (React 18) when setup.sh installed its packages.
npx webpack --config e2e/host/webpack.config.js --env line=13 --no-stats
if [ -d e2e/host/grafana12/node_modules/@grafana/ui ]; then
  npx webpack --config e2e/host/webpack.config.js --env line=12 --no-stats
else
  echo "build: e2e/host/grafana12 not installed (scripts/setup.sh): the Grafana 12 host is not built" >&2
fi
