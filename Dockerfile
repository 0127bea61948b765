# mesoflow's image: compiled JavaScript on Node 20, run by plain `node`.
#   docker build -t mesoflow .
#   docker run mesoflow api        # or: worker (see README "Deployment")
# The runtime stage installs the very tarball `npm pack` makes, the same
# package test/integration/deploy-pkg/npm-pack.test.ts installs and runs.
# Debian slim, not Alpine: the Temporal SDK's native core needs glibc.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
# Sources only: .dockerignore keeps out tests, benchmarks and local state.
COPY . .
# prepack runs the tsc build into dist/; the tarball holds dist/ and cli/bin.js only.
RUN npm pack --pack-destination /tmp && mv /tmp/mesoflow-*.tgz /tmp/mesoflow.tgz

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    MESOFLOW_API_HOST=0.0.0.0 \
    PORT=8080
COPY --from=build /tmp/mesoflow.tgz /tmp/mesoflow.tgz
# The package's dependencies are pinned by its own package.json ranges; the
# tarball is the one built above, so there is no version to pin here.
# hadolint ignore=DL3016
RUN npm install -g --omit=dev --no-audit --no-fund /tmp/mesoflow.tgz \
    && rm /tmp/mesoflow.tgz \
    && npm cache clean --force
# The `node` user (uid/gid 1000) of the official Node images; numeric so
# that runtimes enforcing non-root users can check it.
USER 1000:1000
WORKDIR /home/node
EXPOSE 8080
# /healthz answers once the API serves; workers have no HTTP port, and the
# compose file turns this check off for them.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["mesoflow"]
CMD ["api"]
