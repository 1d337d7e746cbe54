# dopt-test: --unsafe-fixes
FROM node:20-slim
WORKDIR /usr/src/app
COPY --chown=10001:10001 package*.json ./
RUN npm ci --omit=dev
COPY --chown=10001:10001 . .
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin app \
 && mkdir -p /usr/src/app && chown 10001:10001 /usr/src/app
USER 10001:10001
CMD ["node", "server.js"]
