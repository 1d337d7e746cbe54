# dopt-test: --unsafe-fixes
# An Express API: the port from EXPOSE, the /healthz route from its sources, probed with node itself.
FROM node:20-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY src ./src
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["node", "-e", "require('http').get('http://127.0.0.1:3000/healthz', (r) => process.exit(r.statusCode < 500 ? 0 : 1)).on('error', () => process.exit(1))"]
CMD ["node", "src/server.js"]
