# dopt-test: --unsafe-fixes --expect none
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends make && rm -rf /var/lib/apt/lists/*
