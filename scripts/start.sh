#!/usr/bin/env bash
# The main command (npm start): installs what is missing, builds, then runs the whole demo: the shop of real
# services and its load, the exporter (with its git watcher on the demo's GitOps repository), Prometheus with the
# provisioned rules, and the preview page; scripted deploys run on a schedule. Ctrl-C stops every process it started.
# Flags go to the demo (npm start -- --help lists them), e.g. npm start -- --prometheus.port=9091 --short
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
exec node demo/dist/main.js "$@"
