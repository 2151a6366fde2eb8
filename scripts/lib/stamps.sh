# Build stamps, sourced by scripts/build.sh (and by e2e/start.test.ts on a tiny temp tree): a step whose inputs
# (path, size and mtime of every source file it reads, and the lockfile when there is one) are unchanged since its
# last build, and whose output is still there, is skipped. The stamps live in $STAMPS (relative to the working folder).
# TIMESCOPE_BUILD_FORCE=1 rebuilds everything. Each step says what it does before it starts.
STAMPS=${STAMPS:-.tmp/build-stamps}

# The inputs' fingerprint: one line per file (path, size, mtime), sorted, hashed. Cheap: no file is read.
fingerprint() {
  local lock=()
  [ -f package-lock.json ] && lock=(package-lock.json)
  find "$@" "${lock[@]}" -type f \
    -not -path '*/node_modules/*' -not -path '*/dist/*' -not -name '*.tsbuildinfo' \
    -not -name '*.test.ts' -not -name '*.test.tsx' -not -path '*/testdata/*' \
    -printf '%p %s %T@\n' 2>/dev/null | sort | sha1sum | cut -d' ' -f1
}

# step NAME OUTPUT "INPUTS..." COMMAND...: runs COMMAND unless NAME's stamp matches INPUTS and OUTPUT exists.
step() {
  local name=$1 output=$2 inputs=$3
  shift 3
  local fp
  mkdir -p "$STAMPS"
  # shellcheck disable=SC2086
  fp=$(fingerprint $inputs)
  if [ -z "${TIMESCOPE_BUILD_FORCE:-}" ] && [ -e "$output" ] && [ "$(cat "$STAMPS/$name" 2>/dev/null)" = "$fp" ]; then
    echo "build: $name is up to date"
    return
  fi
  echo "build: $name: $*"
  local t0=$SECONDS
  rm -f "$STAMPS/$name"
  "$@"
  echo "$fp" >"$STAMPS/$name"
  echo "build: $name built in $((SECONDS - t0))s"
}
