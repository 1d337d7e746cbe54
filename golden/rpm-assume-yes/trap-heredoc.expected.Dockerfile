# syntax=docker/dockerfile:1
FROM debian:bookworm
RUN <<EOF
set -e
yum install -y httpd
EOF
