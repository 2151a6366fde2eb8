# The Timescope exporter. Build from the repository root: docker build -t timescope-exporter .
# It reads the host's /proc (mount it read-only at /host/proc, run with the host's PID namespace) and needs git for
# the GitOps watcher. Run it as root with every capability dropped except SYS_PTRACE and DAC_READ_SEARCH (as
# docker-compose.yml and deploy/kubernetes/daemonset.yaml do; deploy/kubernetes/README.md says why): enough to read
# other processes' /proc/<pid>/fd and ns/net, nothing more. The cluster role needs no capability and runs as nobody.
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json .npmrc tsconfig.base.json ./
COPY common/package.json common/package.json
COPY exporter/package.json exporter/package.json
COPY datasource-plugin/package.json datasource-plugin/package.json
COPY panel-plugin/package.json panel-plugin/package.json
COPY demo/package.json demo/package.json
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY common common
COPY exporter exporter
RUN npx tsc -p common/tsconfig.build.json && npx tsc -p exporter/tsconfig.build.json
# The netlink sock_diag reader (exporter/native): built against the image's own Node headers with npm's node-gyp, so
# the probe at one second a second stays cheap in the container too (without it the exporter reads /proc/net/tcp).
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && \
  npm run -w @timescope/exporter build:native

FROM node:20-bookworm-slim AS deps
WORKDIR /src
COPY --from=build /src/package.json /src/package-lock.json /src/.npmrc ./
COPY --from=build /src/common/package.json common/package.json
COPY --from=build /src/exporter/package.json exporter/package.json
COPY --from=build /src/datasource-plugin/package.json datasource-plugin/package.json
COPY --from=build /src/panel-plugin/package.json panel-plugin/package.json
COPY --from=build /src/demo/package.json demo/package.json
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts --workspace exporter --workspace common

FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/timescope
ENV NODE_ENV=production
COPY --from=deps /src/node_modules node_modules
COPY --from=build /src/package.json package.json
COPY --from=build /src/common/package.json common/package.json
COPY --from=build /src/common/dist common/dist
COPY --from=build /src/exporter/package.json exporter/package.json
COPY --from=build /src/exporter/dist exporter/dist
COPY --from=build /src/exporter/native/build/Release/timescope_sockdiag.node exporter/native/build/Release/timescope_sockdiag.node
EXPOSE 9469
ENTRYPOINT ["node", "--max-semi-space-size=2", "exporter/dist/cli.js"]
CMD ["--path.procfs=/host/proc"]
