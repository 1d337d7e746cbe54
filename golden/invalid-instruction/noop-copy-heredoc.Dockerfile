# dopt-test: --expect none
# syntax=docker/dockerfile:1
FROM debian:bookworm-slim
COPY <<EOF /etc/motd
hello
EOF
