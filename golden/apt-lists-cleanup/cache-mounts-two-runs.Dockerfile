# syntax=docker/dockerfile:1
# dopt-test: --cache-mounts
FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends gcc
RUN echo hi
RUN apt-get update && apt-get install -y --no-install-recommends make
