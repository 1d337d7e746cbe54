# syntax=docker/dockerfile:1
FROM alpine:3.20
RUN <<EOF
set -e
wget -O /tmp/go.tgz https://go.dev/dl/go1.22.5.linux-amd64.tar.gz
tar -C /usr/local -xzf /tmp/go.tgz
EOF
