# The TradAI configuration platform: `tradai serve` (API, console, change streams) as a non-root
# process under tini. The base is a build argument: the official Node 22 slim image by default;
# any Debian with node and npm on PATH will do (deploy/image/make-base.sh makes one offline).
ARG BASE_IMAGE=docker.io/library/node:22-bookworm-slim

FROM ${BASE_IMAGE} AS build
WORKDIR /app
# The manifests first: the dependency layer is rebuilt only when they change.
COPY package.json package-lock.json ./
COPY packages/core/package.json packages/core/
COPY packages/client/package.json packages/client/
COPY packages/console/package.json packages/console/
COPY packages/server/package.json packages/server/
COPY packages/cli/package.json packages/cli/
COPY packages/reference-worker/package.json packages/reference-worker/
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json ./
COPY packages ./packages
RUN npm run build \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
 && rm -rf packages/*/src packages/*/test packages/console/node_modules/.vite

FROM ${BASE_IMAGE}
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="tradai-config-platform" \
      org.opencontainers.image.description="The TradAI configuration platform: versioned, approved, audited trading parameters pushed live to workers" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="UNLICENSED" \
      org.opencontainers.image.source="https://github.com/tradai/config-platform"
# tini: PID 1 that forwards SIGTERM to the server and reaps children (the launcher's workers).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 tradai && useradd --uid 10001 --gid tradai --home-dir /var/lib/tradai --no-create-home tradai \
 && mkdir -p /var/lib/tradai && chown tradai:tradai /var/lib/tradai
WORKDIR /app
COPY --from=build /app /app
RUN ln -s /app/packages/cli/bin/tradai.js /usr/local/bin/tradai
# Everything it writes is under /var/lib/tradai and /tmp (volumes): the root filesystem may be read-only.
ENV NODE_ENV=production \
    TRADAI_HOST=0.0.0.0 \
    TRADAI_PORT=8000 \
    TRADAI_DATA_DIR=/var/lib/tradai/data \
    TRADAI_WORK_DIR=/var/lib/tradai/work \
    TRADAI_ARTIFACTS_DIR=/var/lib/tradai/artifacts
VOLUME ["/var/lib/tradai"]
USER 10001:10001
EXPOSE 8000
ENTRYPOINT ["/usr/bin/tini", "--", "tradai"]
CMD ["serve"]
