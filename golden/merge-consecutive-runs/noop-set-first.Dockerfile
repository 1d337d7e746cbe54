# dopt-test: --option merge-consecutive-runs.merge=always
FROM debian:bookworm
RUN set -x ; apt-get update
RUN mkdir -p /data && chmod 755 /data
