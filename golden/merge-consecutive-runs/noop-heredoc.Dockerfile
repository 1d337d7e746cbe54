# syntax=docker/dockerfile:1
# dopt-test: --option merge-consecutive-runs.merge=always
FROM debian:bookworm
RUN apt-get update
RUN <<EOF
apt-get install -y curl
EOF
RUN echo after
