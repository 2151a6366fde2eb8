#!/usr/bin/env bash
# The main command (npm start): installs what is missing, builds what is not up to date, then runs the whole demo:
# the shop of real services and its load, the exporter (with its git watcher on the demo's GitOps repository),
# Prometheus with the provisioned rules, and the preview page; scripted deploys run on a schedule.
# --help, a bad flag and a port already taken are answered before any install or build. package.json execs this
# script from npm's sh and the demo replaces this shell (exec), so npm's child is the demo itself: a signal to npm
# reaches it (a sh in between would die and leave the demo running), and it stops every process it started.
# TIMESCOPE_START_NO_BUILD=1 skips the install and the build and runs what is built.
# Flags go to the demo (npm start -- --help lists them), e.g. npm start -- --prometheus.port=9091 --short
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f node_modules/@swc/core/package.json ]; then
  rc=0
  node -r ./scripts/register-swc.js demo/src/preflight.ts "$@" || rc=$?
  if [ "$rc" = 10 ]; then exit 0; fi # --help was printed
  if [ "$rc" != 0 ]; then exit "$rc"; fi
  export TIMESCOPE_DEMO_VIEWS_SAID=1 # the preflight said which views the demo cannot show, if any: not again
fi
if [ -n "${TIMESCOPE_START_NO_BUILD:-}" ]; then
  # run what is built as it is (tests, or a machine without the toolchain): no install, no build
  if [ ! -f demo/dist/main.js ]; then
    echo "start: TIMESCOPE_START_NO_BUILD is set but demo/dist/main.js is not built (bash scripts/build.sh)" >&2
    exit 1
  fi
  echo "start: TIMESCOPE_START_NO_BUILD: running the built demo without installing or building"
else
  echo "start: checking what is installed and built"
  TIMESCOPE_SETUP_DEMO=1 bash scripts/setup.sh
  bash scripts/build.sh
fi
exec node demo/dist/main.js "$@"
