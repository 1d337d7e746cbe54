# dopt-test: --unsafe-fixes
# Fastify started with `npm start`; ENV PORT names the port, no health route: any answer below 500 passes.
FROM node:20-bookworm-slim
ENV PORT=8080
WORKDIR /srv
COPY . .
RUN npm ci --omit=dev
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["node", "-e", "require('http').get('http://127.0.0.1:8080/', (r) => process.exit(r.statusCode < 500 ? 0 : 1)).on('error', () => process.exit(1))"]
CMD ["npm", "start"]
