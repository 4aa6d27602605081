# syntax=docker/dockerfile:1
# origin-signer image: Node 24 LTS, production dependencies only, non-root.
#   docker build -t origin-signer .
#   docker run -p 8080:8080 -v "$PWD/config.yaml:/etc/origin-signer/config.yaml:ro" origin-signer

# Build stage: compile TypeScript with the dev dependencies, then drop them. The strict origin
# (packages/strict-origin, a devDependency for the tests and the demo) is not in the context
# (.dockerignore): npm ci leaves a link to nothing, which the prune removes with the rest.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY src ./src
COPY bin ./bin
RUN npx tsc -p tsconfig.json && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

# Run stage: the compiled code, the launcher and production dependencies, as the `node` user.
FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/bin ./bin
USER node
# 8080: viewers (server.port). 9090: /healthz, /readyz, /metrics (server.admin; set its host to
# 0.0.0.0 in the config when something outside the container must reach it).
EXPOSE 8080 9090
# `health` reads server.admin from the mounted config (0.0.0.0 is probed on 127.0.0.1) and GETs
# /healthz there: the probe follows the config instead of assuming port 9090.
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD ["/app/bin/origin-signer", "health", "--config", "/etc/origin-signer/config.yaml"]
ENTRYPOINT ["/app/bin/origin-signer"]
CMD ["serve", "--config", "/etc/origin-signer/config.yaml"]
