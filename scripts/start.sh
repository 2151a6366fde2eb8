#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs the exporter on this host.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
exec node exporter/dist/cli.js "$@"
