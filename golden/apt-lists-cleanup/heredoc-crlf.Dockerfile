# syntax=docker/dockerfile:1
FROM ubuntu:24.04
RUN <<EOF
apt-get update
apt-get install -y --no-install-recommends ca-certificates
EOF
