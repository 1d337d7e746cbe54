# syntax=docker/dockerfile:1
FROM debian:bookworm
RUN <<EOF
set -e
pip install --no-cache-dir flask
EOF
