# dopt-test: --expect none
FROM node:20-bookworm-slim
RUN curl -fsSL https://example.com/cli.tar.gz | tar -xz -C /usr/local/bin
RUN npm ci --omit=dev
