# dopt-test: --unsafe-fixes
FROM debian:bookworm-slim AS base
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*

FROM base
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
