# dopt-test: --unsafe-fixes
# yarn 1: the builder re-runs the install with --production to prune, the runtime copies the app.
FROM node:18-bookworm AS builder
WORKDIR /usr/src/app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile && yarn cache clean
COPY . .
RUN yarn build
RUN yarn install --production --frozen-lockfile --prefer-offline

FROM node:18-bookworm-slim
WORKDIR /usr/src/app
COPY --from=builder /usr/src/app /usr/src/app
ENV NODE_ENV=production
USER node
CMD ["node", "build/index.js"]
