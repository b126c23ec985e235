# syntax=docker/dockerfile:1
#
# The ficus image: one image for every command (gateway, cdc, replay, analyze, routes …) and for
# the bundled samples. Three stages:
#
#   build   npm ci (all deps) + npm run build  → dist/ (tsc output, browser assets inlined)
#   deps    npm ci --omit=dev                  → node_modules with runtime dependencies only
#   runtime node + dist + bin + schemas + prod node_modules, as the non-root `node` user (uid 1000)
#
# Base image: node:20-bookworm-slim for all three stages. Every runtime dependency is plain
# JavaScript (pg, kafkajs, undici, mysql2, ts-morph) or WebAssembly (@electric-sql/pglite), with
# no install scripts, so node:20-alpine would run it too and is ~50 MB smaller; slim is chosen
# because (1) glibc's resolver behaves as Kubernetes expects (search domains, ndots, TCP fallback
# for large answers), which matters for a proxy that resolves upstream and broker names, (2) the
# build stage's dev tools ship glibc binaries (esbuild) and the lock file is resolved on glibc,
# and (3) /bin/sh, sleep and kill are there for `kubectl exec … kill -HUP 1` (config reload) and
# a preStop sleep. The runtime dependencies (~95 MB) dominate the image either way.
#
# Build:  docker build -t ficus:0.1.0 .
# Run:    docker run --rm -p 8080:8080 -p 127.0.0.1:9901:9901 -e FICUS_ADMIN_TOKEN=… \
#           -v "$PWD/ficus.gateway.yaml:/etc/ficus/ficus.gateway.yaml:ro" ficus:0.1.0
#         docker run --rm ficus:0.1.0 cdc run --config /etc/ficus/ficus.cdc.yaml
#
# Written without a container engine on the machine that produced it: deploy/README.md says
# what was and was not checked.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Dependencies first, so the layer is reused while only sources change. --ignore-scripts: the
# package's own `prepare` script runs `npm run build`, which cannot work before the sources are
# copied; no dependency needs an install script.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
# bundle-assets.mjs (esbuild) inlines the report's browser code, then tsc -p tsconfig.build.json
# compiles analyzer/ gateway/ cdc/ reports/ core/ cli/ samples/ bench/ into dist/.
RUN npm run build \
 && rm -rf dist/bench

# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# --omit=dev: runtime dependencies only. --ignore-scripts is required here: `prepare` would run
# `npm run build`, which needs tsc and esbuild (dev dependencies) and sources this stage lacks.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="ficus" \
      org.opencontainers.image.description="Strangler-fig monolith migration: analyzer, shadowing gateway, CDC sync" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.base.name="docker.io/library/node:20-bookworm-slim"

ENV NODE_ENV=production
WORKDIR /app

# Owned by root and not writable by the runtime user: the image's code cannot be changed by the
# process it runs. The gateway writes only where its config says (diffs.path for the ndjson
# store, rollouts.state): mount a volume there, see deploy/.
COPY --from=deps  /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY schemas ./schemas
# Data files the bundled samples read at run time (the legacy shop's schema and the shared
# catalog), found by walking up from dist/samples/…; 50 KB, used by deploy/compose only.
COPY samples/data ./samples/data
COPY samples/legacy-shop/db/schema.sql ./samples/legacy-shop/db/schema.sql

# Config is mounted here (a ConfigMap in Kubernetes, a bind mount in compose). The rollout
# state directory is created for the runtime user so a plain `docker run` can write it.
RUN mkdir -p /etc/ficus /var/lib/ficus \
 && chown 1000:1000 /var/lib/ficus

# The `node` user of the official image, by number so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000

# Data plane and admin API (the config's listen.port and admin.port).
EXPOSE 8080 9901

# The admin API's /healthz needs no token. No curl in slim images: Node's fetch. Only meaningful
# for `ficus gateway` with the admin API on port 9901; set FICUS_HEALTHCHECK_URL for another
# port, and turn it off for other commands (compose: `healthcheck: { disable: true }` or a
# healthcheck of their own). Kubernetes ignores HEALTHCHECK and uses the probes in deploy/.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(process.env.FICUS_HEALTHCHECK_URL||'http://127.0.0.1:9901/healthz',{signal:AbortSignal.timeout(2500)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

# bin/ficus.js imports dist/cli/main.js. Node runs as PID 1 and ficus handles SIGTERM, SIGINT
# (graceful stop) and SIGHUP (gateway config reload) itself, so no init wrapper is needed.
ENTRYPOINT ["node", "bin/ficus.js"]
CMD ["gateway", "--config", "/etc/ficus/ficus.gateway.yaml"]
