# syntax=docker/dockerfile:1
FROM debian:bookworm
RUN <<EOF
set -e
conda install -y numpy
EOF
