# dopt-test: --unsafe-fixes --expect DOP503:2
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends make && rm -rf /var/lib/apt/lists/*
