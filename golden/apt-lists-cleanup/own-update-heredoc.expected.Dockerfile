# syntax=docker/dockerfile:1
# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN apt-get update && rm -rf /var/lib/apt/lists/*
RUN <<EOF
set -e
apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
EOF
