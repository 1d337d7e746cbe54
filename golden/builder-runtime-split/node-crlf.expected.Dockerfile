# dopt-test: --unsafe-fixes
FROM node:20-slim AS builder
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
RUN npm prune --omit=dev

FROM node:20-slim
WORKDIR /app
COPY --from=builder /app /app
COPY . .
CMD ["node", "index.js"]
