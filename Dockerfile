# One image, four roles. Build: docker build -t govdata .
#
# Each role is the image's ENTRYPOINT (node) with the arguments in its
# govdata.role.* label; deploy/kubernetes passes the same arguments, and
# test/e2e/containerRoles.test.ts starts each role exactly so, from the built
# JavaScript, with the ENV below.
#   gateway             docker run -p 4000:4000 govdata
#   department subgraph docker run govdata dist/scripts/govdata.js serve --department city_water
#   platform subgraph   docker run govdata dist/scripts/govdata.js serve --platform
#   migrations job      docker run govdata dist/scripts/migrate.js

# --- build: every dependency, TypeScript compiled to dist/, then dev dependencies pruned
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# npm ci applies these to the installed packages (patch-package, the postinstall script)
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY gateway ./gateway
COPY schema ./schema
COPY scripts ./scripts
COPY server ./server
COPY subgraphs ./subgraphs
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# --- runtime: production dependencies and dist/ only, as an unprivileged user
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    SUBGRAPH_PORT_BASE=4000 \
    DATA_DIR=/var/lib/govdata \
    LOG_FORMAT=json
WORKDIR /app
COPY --from=build --chown=root:root /app/package.json ./package.json
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
RUN mkdir -p /var/lib/govdata && chown node:node /var/lib/govdata
USER node
LABEL govdata.role.gateway="dist/scripts/gateway.js --workers 1" \
      govdata.role.department="dist/scripts/govdata.js serve --department city_water" \
      govdata.role.platform="dist/scripts/govdata.js serve --platform" \
      govdata.role.migrate="dist/scripts/migrate.js"
EXPOSE 4000
# Every serving role listens on 4000 (PORT for the gateway, SUBGRAPH_PORT_BASE for a subgraph).
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "dist/scripts/container/healthcheck.js"]
ENTRYPOINT ["node"]
CMD ["dist/scripts/gateway.js", "--workers", "1"]
