# dopt-test: --unsafe-fixes
FROM node:20
WORKDIR /app
COPY . .
RUN npm ci && npm run build && chown -R node:node /app
USER node
CMD ["node", "dist/index.js"]
