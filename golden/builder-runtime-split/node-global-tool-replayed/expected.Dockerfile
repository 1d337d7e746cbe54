# dopt-test: --unsafe-fixes
# pm2 is installed globally for the runtime: that RUN is replayed in the runtime stage.
FROM node:20 AS builder
RUN npm install -g pm2@5
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npx tsc
RUN npm prune --omit=dev

FROM node:20-slim
RUN npm install -g pm2@5
WORKDIR /app
COPY --from=builder /app /app
CMD ["pm2-runtime", "dist/worker.js"]
