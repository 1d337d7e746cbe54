# syntax=docker/dockerfile:1
# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN apt-get update
RUN <<EOF
set -e
apt-get install -y --no-install-recommends curl
EOF
