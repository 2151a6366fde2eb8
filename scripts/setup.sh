#!/usr/bin/env bash
# Installs what Timescope needs on a fresh Debian machine with only Node and npm:
# Debian packages when their binaries are missing, then the npm workspaces (npm ci).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
# VictoriaMetrics, vmalert, vmagent: the long-term store tests (docs/scale-out.md)
command -v victoria-metrics >/dev/null 2>&1 || missing+=(victoria-metrics)
command -v vmalert >/dev/null 2>&1 || missing+=(victoria-metrics)
command -v vmagent >/dev/null 2>&1 || missing+=(victoria-metrics)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v git >/dev/null 2>&1 || missing+=(git)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
if [ ${#missing[@]} -gt 0 ]; then
  pkgs=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
  if [ "$(id -u)" != 0 ]; then
    echo "setup: missing Debian packages: $pkgs; run as root or install them: apt-get install -y $pkgs" >&2
    exit 1
  fi
  echo "setup: installing Debian packages: $pkgs"
  apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkgs >/dev/null
fi

# npm ci when node_modules is missing or older than the lockfile.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

# The exporter's optional netlink sock_diag reader (exporter/native, a small N-API addon built with npm's node-gyp
# against the machine's Node headers). Without it the probe reads /proc/<pid>/net/tcp: never fails the install.
if [ ! -f exporter/native/build/Release/timescope_sockdiag.node ] ||
  [ -n "$(find exporter/native -maxdepth 1 -newer exporter/native/build/Release/timescope_sockdiag.node -type f)" ]; then
  echo "setup: building the exporter's netlink reader (exporter/native)"
  npm run --silent -w @timescope/exporter build:native >/dev/null 2>&1 ||
    echo "setup: exporter/native could not be built (no C compiler or Node headers?): the probe reads /proc/net/tcp" >&2
fi

# The plugin host's Grafana 12 line (React 18, @grafana/* 12.3) has its own small package folder, outside the
# workspaces so that its React does not meet the workspaces' React 19.
G12=e2e/host/grafana12
if [ ! -f $G12/node_modules/.package-lock.json ] || [ $G12/package-lock.json -nt $G12/node_modules/.package-lock.json ]; then
  echo "setup: npm ci in $G12"
  (cd $G12 && npm ci --no-audit --no-fund --loglevel=error)
fi

# A third-party panel scaffolded by @grafana/create-plugin for the host's proof test (cached in .cache/). When it
# cannot be built, the rest still runs; e2e/host/thirdparty.test.ts then fails with the reason.
# npm start does not need it (TIMESCOPE_SETUP_DEMO=1).
if [ -z "${TIMESCOPE_SETUP_DEMO:-}" ]; then
  bash scripts/create-plugin.sh >/dev/null || echo "setup: the create-plugin scaffold could not be built" >&2
fi
