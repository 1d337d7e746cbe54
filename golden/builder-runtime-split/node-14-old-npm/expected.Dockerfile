# dopt-test: --unsafe-fixes
# npm 6 (node 14) spells the prune --production.
FROM node:14 AS builder
WORKDIR /app
COPY . .
RUN npm install && npm run build
RUN npm prune --production

FROM node:14-slim
WORKDIR /app
COPY --from=builder /app /app
CMD ["node", "lib/index.js"]
