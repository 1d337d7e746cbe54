# dopt-test: --unsafe-fixes
# The final stage copies the app from a builder stage: the package.json and sources are found through it.
FROM node:20 AS builder
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20-slim
WORKDIR /app
COPY --from=builder /app /app
ENV PORT=4000
USER node
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["node", "-e", "require('http').get('http://127.0.0.1:4000/health', (r) => process.exit(r.statusCode < 500 ? 0 : 1)).on('error', () => process.exit(1))"]
CMD ["node", "dist/main.js"]
