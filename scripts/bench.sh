#!/usr/bin/env bash
# Runs every benchmark under bench/ and prints its figures. Nothing is asserted.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
for b in bench/*.bench.ts; do
  [ -e "$b" ] || continue
  echo "== $b"
  node --expose-gc -r ./scripts/register-swc.js "$b"
done
