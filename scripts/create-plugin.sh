#!/usr/bin/env bash
# Scaffolds and builds a third-party panel with @grafana/create-plugin (pinned), the way a plugin author does, for
# e2e/host/thirdparty.test.ts: the host must load what Grafana's own tooling builds. The scaffold is not our code:
# it lives in .cache/create-plugin/ (git-ignored) and is kept between runs (its npm install is the slow part).
#
# Two things the scaffold needs on a registry-only Node 20 machine, neither touching its code or build config:
# - @grafana/ui names react-data-grid by a git commit, which cannot be fetched here: an npm override points it at
#   the same fork as published (the one @grafana/ui 13.2 depends on);
# - its webpack.config.ts is loaded by ts-node, which on Node 20 needs CommonJS module settings (Node 22 loads it
#   natively): given through TS_NODE_COMPILER_OPTIONS.
#
# Prints the built plugin folder on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=7.1.7
CACHE=.cache/create-plugin
PLUGIN=thirdparty-probe-panel
DIR="$CACHE/$PLUGIN"
STAMP="$CACHE/.built-with"

if [ -f "$DIR/dist/module.js" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$VERSION" ]; then
  echo "$DIR/dist"
  exit 0
fi

fail() {
  echo "create-plugin: $1 (log: $CACHE/create-plugin.log)" >&2
  tail -n 20 "$CACHE/create-plugin.log" >&2 || true
  exit 1
}

if [ ! -f "$DIR/package.json" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$VERSION" ]; then
  rm -rf "$CACHE"
  mkdir -p "$CACHE"
  echo "create-plugin: scaffolding $PLUGIN with @grafana/create-plugin@$VERSION" >&2
  (cd "$CACHE" && npx --yes "@grafana/create-plugin@$VERSION" --plugin-type=panel --plugin-name=probe \
    --org-name=thirdparty </dev/null) >"$CACHE/create-plugin.log" 2>&1 || fail "scaffolding failed"
  [ -f "$DIR/package.json" ] || fail "the scaffold has no $DIR/package.json"
  (cd "$DIR" && npm pkg set 'overrides.react-data-grid=npm:@grafana/react-data-grid@7.0.0-beta.57') ||
    fail "could not set the npm override"
fi

if [ ! -d "$DIR/node_modules/@grafana/ui" ]; then
  echo "create-plugin: npm install in $DIR" >&2
  (cd "$DIR" && npm install --no-audit --no-fund --loglevel=error) >>"$CACHE/create-plugin.log" 2>&1 ||
    fail "npm install of the scaffold failed"
fi

echo "create-plugin: building $PLUGIN with its own webpack config" >&2
(cd "$DIR" && TS_NODE_TRANSPILE_ONLY=true TS_NODE_COMPILER_OPTIONS='{"module":"commonjs","moduleResolution":"node10"}' \
  npm run build) >>"$CACHE/create-plugin.log" 2>&1 || fail "the scaffold's build failed"
[ -f "$DIR/dist/module.js" ] || fail "the build wrote no $DIR/dist/module.js"
echo "$VERSION" >"$STAMP"
echo "$DIR/dist"
