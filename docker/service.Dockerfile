# syntax=docker/dockerfile:1.7
# One image per service, all from this file, built from the repository root:
#   docker build -f docker/service.Dockerfile \
#     --build-arg WORKSPACE=subgraphs/orders --build-arg PORT=4003 -t cloudmart/orders .
# `npm run images` runs that for the gateway and every subgraph in supergraph.yaml.
# The build stage compiles the service (`npm run build`, scripts/build.ts: one esbuild bundle with
# the shared runtime inside, source maps beside); the image runs `node dist/index.js` and carries
# no TypeScript toolchain (no tsx, esbuild or typescript) and no sources.

ARG NODE_IMAGE=node:24.21.0-bookworm-slim

# 1. Only the package manifests, so the dependency layers below are rebuilt only when a
#    package.json or the lock file changes, not on every source change.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY . .
RUN find . -type f ! -name package.json ! -name package-lock.json -delete \
 && find . -type d -empty -delete

# 2. Every dependency, dev ones too: generates the users subgraph's Prisma client and compiles.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY --from=manifests /app ./
# `npm install --no-save` rather than `npm ci` (as in .ci/run): the lock file lacks other
# platforms' optional packages, which `npm ci` insists on; the pinned versions are installed all the same.
RUN npm install --no-save --ignore-scripts --no-audit --no-fund
COPY . .
ARG WORKSPACE
# What the service reads at run time stays beside dist/ (schema.graphql, prisma/migrations);
# sources, tests and scripts do not go further (their code is in the bundle).
RUN test -f "${WORKSPACE}/src/index.ts" \
 && if [ -f "${WORKSPACE}/prisma.config.ts" ]; then (cd "${WORKSPACE}" && npx --no-install prisma generate); fi \
 && npm run build -- "${WORKSPACE}" \
 && test -f "${WORKSPACE}/dist/index.js" \
 && mkdir -p "/out/${WORKSPACE}" \
 && cp -R "${WORKSPACE}/." "/out/${WORKSPACE}/" \
 && rm -rf "/out/${WORKSPACE}/node_modules" "/out/${WORKSPACE}/test" "/out/${WORKSPACE}/src" \
      "/out/${WORKSPACE}/scripts" "/out/${WORKSPACE}/prisma.config.ts"

# 3. Production dependencies of this service and the shared runtime only (the bundle loads them
#    from node_modules; the runtime's own code is compiled into it).
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY --from=manifests /app ./
ARG WORKSPACE
# patches/ fix installed packages (the root postinstall runs patch-package, which --ignore-scripts
# skips): apply those whose package this service has (the gateway's query planner), with the
# version of patch-package the lock file pins; it is fetched here and never reaches the image.
# The Kafka client (an optional dependency of the runtime, loaded when EVENT_BUS=kafka) is a native
# addon whose install script --ignore-scripts also skips: rebuilt here, it fetches the prebuilt
# addon for this Node and platform (librdkafka linked in), and the stage fails if it does not load.
COPY patches patches
RUN npm install --no-save --omit=dev --ignore-scripts --no-audit --no-fund \
      --workspace "${WORKSPACE}" --workspace subgraphs/runtime \
 && mkdir -p .patches-applicable \
 && for patch in patches/*.patch; do \
      package="$(basename "$patch" | sed -E 's/\+[^+]+\.patch$//; s/\+/\//g')"; \
      if [ -d "node_modules/$package" ]; then cp "$patch" .patches-applicable/; fi; \
    done \
 && if [ -n "$(ls .patches-applicable)" ]; then \
      npx --yes "patch-package@$(node -p "require('./package-lock.json').packages['node_modules/patch-package'].version")" \
        --patch-dir .patches-applicable --error-on-fail; \
    fi \
 && rm -rf .patches-applicable patches \
 && if [ -d node_modules/@confluentinc/kafka-javascript ]; then \
      npm rebuild @confluentinc/kafka-javascript \
      && node -e "require('@confluentinc/kafka-javascript')"; \
    fi \
 && npm cache clean --force \
 && mkdir -p "${WORKSPACE}/node_modules" subgraphs/runtime/node_modules

# 4. The image: the compiled service, its dependencies, no npm cache, no dev tools, not root.
FROM ${NODE_IMAGE} AS runtime
ARG WORKSPACE
ARG PORT=4000
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=${PORT} \
    DATA_DIR=/tmp/data \
    SERVICE_MAIN=${WORKSPACE}/dist/index.js
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
# supergraph.yaml marks the repository root the runtime finds files from; the web client's
# persisted-query manifest is what the gateway serves the storefront's operations by id from.
COPY package.json supergraph.yaml ./
COPY web/persisted-query-manifest.json web/
COPY --from=build /out/${WORKSPACE} ${WORKSPACE}
COPY --from=prod-deps /app/${WORKSPACE}/node_modules ${WORKSPACE}/node_modules
# The files belong to root and cannot be changed by the service; it runs as `node` (uid 1000).
USER node
EXPOSE ${PORT}
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# exec: node is PID 1 and gets SIGTERM, which runMain turns into a graceful stop. The command is
# serviceCommand's compiled form (scripts/service-command.ts): stack traces through the source maps.
CMD ["/bin/sh", "-c", "exec node --enable-source-maps \"$SERVICE_MAIN\""]
