# dopt-test: --unsafe-fixes
# `npm start` runs `next start -p 8080`: the probe goes to 8080, not next's default 3000.
FROM node:20-slim
WORKDIR /app
COPY . .
RUN npm ci && npm run build
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["node", "-e", "require('http').get('http://127.0.0.1:8080/', (r) => process.exit(r.statusCode < 500 ? 0 : 1)).on('error', () => process.exit(1))"]
CMD ["npm", "start"]
