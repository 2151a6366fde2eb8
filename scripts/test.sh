#!/usr/bin/env bash
# The one command that runs every test: installs what is missing, builds, then runs
# typecheck, lint, format check and every jest project. Ends with "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
exec node scripts/run-tests.mjs "$@"
