# dopt-test: --unsafe-fixes
FROM node:lts AS builder
RUN corepack enable
WORKDIR /srv
COPY package.json pnpm-lock.yaml ./
RUN pnpm install --frozen-lockfile
COPY src ./src
RUN pnpm run build
RUN pnpm prune --prod

FROM node:lts-slim
RUN corepack enable
WORKDIR /srv
COPY --from=builder /srv /srv
EXPOSE 8080
CMD ["node", "dist/main.js"]
