# dopt-test: --unsafe-fixes
# `state.get('ready')` (no leading slash) and a test's `request(app).get('/health')` are not routes: the
# probe asks for / and passes on any answer below 500.
FROM node:20-slim
WORKDIR /app
COPY . .
RUN npm ci --omit=dev
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["node", "-e", "require('http').get('http://127.0.0.1:3000/', (r) => process.exit(r.statusCode < 500 ? 0 : 1)).on('error', () => process.exit(1))"]
CMD ["node", "src/index.js"]
