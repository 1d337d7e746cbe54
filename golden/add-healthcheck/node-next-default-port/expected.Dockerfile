# dopt-test: --unsafe-fixes
# A Next.js app with no EXPOSE and no PORT: next's own default, 3000.
FROM node:18-alpine
WORKDIR /app
COPY . .
RUN npm ci && npm run build
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["node", "-e", "require('http').get('http://127.0.0.1:3000/', (r) => process.exit(r.statusCode < 500 ? 0 : 1)).on('error', () => process.exit(1))"]
CMD ["npm", "start"]
