# syntax=docker/dockerfile:1.7
# dopt-test: --cache-mounts
FROM debian:bookworm-slim
RUN rm -f /etc/apt/apt.conf.d/docker-clean
RUN apt-get update && apt-get install -y --no-install-recommends git
