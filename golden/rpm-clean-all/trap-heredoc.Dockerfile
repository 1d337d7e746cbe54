# syntax=docker/dockerfile:1
FROM debian:bookworm
RUN <<EOF
set -e
dnf install -y httpd
EOF
