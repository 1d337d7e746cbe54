# dopt-test: --unsafe-fixes
# A TypeScript API: devDependencies and the compiler stay in the builder; node:20-slim runs dist/.
FROM node:20 AS builder
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build
RUN npm prune --omit=dev

FROM node:20-slim
WORKDIR /app
COPY --from=builder /app /app
EXPOSE 3000
CMD ["node", "dist/server.js"]
