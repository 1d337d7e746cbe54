# dopt-test: --unsafe-fixes
# canvas compiles against cairo and pango (node-gyp): the runtime keeps their libraries, not the headers.
FROM node:20-bookworm-slim AS builder
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential python3 libcairo2-dev libpango1.0-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
RUN npm prune --omit=dev

FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libcairo-gobject2 \
      libcairo-script-interpreter2 \
      libcairo2 \
      gir1.2-pango-1.0 \
      libpango-1.0-0 \
      libpangocairo-1.0-0 \
      libpangoft2-1.0-0 \
      libpangoxft-1.0-0 \
      pango1.0-tools \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=builder /app /app
COPY server.js ./
EXPOSE 8080
CMD ["node", "server.js"]
