# syntax=docker/dockerfile:1
FROM alpine:3.19
COPY <<EOF /etc/motd
hello
EOF
