#!/usr/bin/env bash
# Builds every workspace in dependency order: common -> exporter, demo, plugins -> e2e plugin host (both Grafana
# lines). A step whose inputs (path, size and mtime of every source file it reads, and the lockfile) are unchanged
# since its last build, and whose output is still there, is skipped: its stamp in .tmp/build-stamps/ says so
# (scripts/lib/stamps.sh).
# TIMESCOPE_BUILD_FORCE=1 rebuilds everything. Each step says what it does before it starts.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/stamps.sh
source scripts/lib/stamps.sh

COMMON="common/src common/package.json common/tsconfig.json common/tsconfig.build.json tsconfig.base.json"
step common common/dist/index.js "$COMMON" npx tsc -p common/tsconfig.build.json
step exporter exporter/dist/cli.js "$COMMON exporter/src exporter/package.json exporter/tsconfig.json exporter/tsconfig.build.json" \
  npx tsc -p exporter/tsconfig.build.json
chmod +x exporter/dist/cli.js 2>/dev/null || true
step demo demo/dist/main.js "$COMMON demo/src demo/package.json demo/tsconfig.json demo/tsconfig.build.json" \
  npx tsc -p demo/tsconfig.build.json
for p in datasource-plugin panel-plugin; do
  if [ -f "$p/webpack.config.js" ]; then
    step "$p" "$p/dist/module.js" "$COMMON $p/src $p/package.json $p/webpack.config.js $p/tsconfig.json" \
      bash -c "cd $p && npx webpack --mode production --config webpack.config.js --no-stats"
  fi
done
# The plugin host, once per Grafana line: 13 (React 19) always, 12 (React 18) when setup.sh installed its packages.
HOST="$COMMON e2e/host/src e2e/host/webpack.config.js datasource-plugin/src panel-plugin/src"
step host-13 e2e/host/dist/13/host.js "$HOST" npx webpack --config e2e/host/webpack.config.js --env line=13 --no-stats
if [ -d e2e/host/grafana12/node_modules/@grafana/ui ]; then
  step host-12 e2e/host/dist/12/host.js "$HOST e2e/host/grafana12/package-lock.json" \
    npx webpack --config e2e/host/webpack.config.js --env line=12 --no-stats
else
  echo "build: e2e/host/grafana12 not installed (scripts/setup.sh): the Grafana 12 host is not built" >&2
fi
