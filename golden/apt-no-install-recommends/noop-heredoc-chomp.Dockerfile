# dopt-test: --unsafe-fixes
# syntax=docker/dockerfile:1
FROM python:3.11
RUN <<-EOF
	apt-get install -y curl
	EOF
