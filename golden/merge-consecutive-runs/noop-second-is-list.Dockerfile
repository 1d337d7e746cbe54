# dopt-test: --option merge-consecutive-runs.merge=always
FROM debian:bookworm
RUN apt-get update
RUN set -eux; apt-get install -y curl; rm -rf /var/lib/apt/lists/*
