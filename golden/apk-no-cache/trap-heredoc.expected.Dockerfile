# syntax=docker/dockerfile:1
FROM debian:bookworm
RUN <<EOF
set -e
apk add --no-cache curl
EOF
