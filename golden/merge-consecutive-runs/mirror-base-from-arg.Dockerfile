ARG BASE=mirror.gcr.io/library/ubuntu:24.04
FROM ${BASE}
RUN useradd -m app
RUN mkdir -p /data && chown app /data
