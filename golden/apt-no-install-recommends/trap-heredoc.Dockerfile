# syntax=docker/dockerfile:1
# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN <<EOF
set -e
apt-get install -y curl
EOF
