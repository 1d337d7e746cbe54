# syntax=docker/dockerfile:1
FROM debian:bookworm
RUN <<EOF
set -e
npm ci && npm cache clean --force
EOF
