# syntax=docker/dockerfile:1
FROM debian:bookworm
RUN <<EOF
set -e
pip install flask
EOF
