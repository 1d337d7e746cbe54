# syntax=docker/dockerfile:1
FROM alpine:3.19
ADD <<EOF /etc/motd
hello
EOF
