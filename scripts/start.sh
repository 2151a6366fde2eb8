#!/usr/bin/env bash
# The main command (npm start): installs what is missing, builds what is not up to date, then runs the whole demo:
# the shop of real services and its load, the exporter (with its git watcher on the demo's GitOps repository),
# Prometheus with the provisioned rules, and the preview page; scripted deploys run on a schedule.
# --help, a bad flag and a port already taken are answered before any install or build. The demo replaces this
# shell (exec), so a signal to npm reaches it, and it stops every process it started on SIGINT or SIGTERM.
# Flags go to the demo (npm start -- --help lists them), e.g. npm start -- --prometheus.port=9091 --short
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f node_modules/@swc/core/package.json ]; then
  rc=0
  node -r ./scripts/register-swc.js demo/src/preflight.ts "$@" || rc=$?
  if [ "$rc" = 10 ]; then exit 0; fi # --help was printed
  if [ "$rc" != 0 ]; then exit "$rc"; fi
fi
echo "start: checking what is installed and built"
TIMESCOPE_SETUP_DEMO=1 bash scripts/setup.sh
bash scripts/build.sh
exec node demo/dist/main.js "$@"
