# dopt-test: --unsafe-fixes
# distroless/nodejs: node is /nodejs/bin/node, not on PATH; the probe runs the same binary the command does.
FROM node:20 AS build
WORKDIR /app
COPY . .
RUN npm ci --omit=dev

FROM gcr.io/distroless/nodejs20-debian12
WORKDIR /app
COPY --from=build /app /app
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["/nodejs/bin/node", "-e", "require('http').get('http://127.0.0.1:8080/healthz', (r) => process.exit(r.statusCode < 500 ? 0 : 1)).on('error', () => process.exit(1))"]
CMD ["/nodejs/bin/node", "server.js"]
