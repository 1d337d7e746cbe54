# syntax=docker/dockerfile:1
# dopt-test: --expect DOP204:4
FROM alpine:3.20
RUN <<-EOF
	apk add curl
	EOF
