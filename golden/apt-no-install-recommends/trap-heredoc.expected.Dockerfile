# syntax=docker/dockerfile:1
# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN <<EOF
set -e
apt-get install --no-install-recommends -y curl ca-certificates
EOF
