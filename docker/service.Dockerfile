# syntax=docker/dockerfile:1.7
# One image per service, all from this file, built from the repository root:
#   docker build -f docker/service.Dockerfile \
#     --build-arg WORKSPACE=subgraphs/orders --build-arg PORT=4003 -t cloudmart/orders .
# `npm run images` runs that for the gateway and every subgraph in supergraph.yaml.
# Services run their TypeScript sources through tsx (a dependency of @cloudmart/runtime), as in
# development: there is no separate build output to drift from the sources.

ARG NODE_IMAGE=node:24.21.0-bookworm-slim

# 1. Only the package manifests, so the dependency layers below are rebuilt only when a
#    package.json or the lock file changes, not on every source change.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY . .
RUN find . -type f ! -name package.json ! -name package-lock.json -delete \
 && find . -type d -empty -delete

# 2. Every dependency, dev ones too: generates the users subgraph's Prisma client.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY --from=manifests /app ./
# `npm install --no-save` rather than `npm ci` (as in .ci/run): the lock file lacks other
# platforms' optional packages, which `npm ci` insists on; the pinned versions are installed all the same.
RUN npm install --no-save --ignore-scripts --no-audit --no-fund
COPY . .
ARG WORKSPACE
RUN test -f "${WORKSPACE}/src/index.ts" \
 && if [ -f "${WORKSPACE}/prisma.config.ts" ]; then (cd "${WORKSPACE}" && npx --no-install prisma generate); fi \
 && mkdir -p "/out/${WORKSPACE}" \
 && cp -R "${WORKSPACE}/." "/out/${WORKSPACE}/" \
 && rm -rf "/out/${WORKSPACE}/node_modules" "/out/${WORKSPACE}/test"

# 3. Production dependencies of this service and the shared runtime only.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY --from=manifests /app ./
ARG WORKSPACE
RUN npm install --no-save --omit=dev --ignore-scripts --no-audit --no-fund \
      --workspace "${WORKSPACE}" --workspace subgraphs/runtime \
 && npm cache clean --force \
 && mkdir -p "${WORKSPACE}/node_modules" subgraphs/runtime/node_modules

# 4. The image: the service's sources, its dependencies, no npm cache, no dev tools, not root.
FROM ${NODE_IMAGE} AS runtime
ARG WORKSPACE
ARG PORT=4000
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=${PORT} \
    DATA_DIR=/tmp/data \
    SERVICE_MAIN=${WORKSPACE}/src/index.ts
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY package.json supergraph.yaml ./
COPY subgraphs/runtime/package.json subgraphs/runtime/
COPY subgraphs/runtime/src subgraphs/runtime/src
COPY --from=prod-deps /app/subgraphs/runtime/node_modules subgraphs/runtime/node_modules
COPY --from=build /out/${WORKSPACE} ${WORKSPACE}
COPY --from=prod-deps /app/${WORKSPACE}/node_modules ${WORKSPACE}/node_modules
# The files belong to root and cannot be changed by the service; it runs as `node` (uid 1000).
USER node
EXPOSE ${PORT}
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# exec: node is PID 1 and gets SIGTERM, which runMain turns into a graceful stop.
CMD ["/bin/sh", "-c", "exec node --import tsx \"$SERVICE_MAIN\""]
