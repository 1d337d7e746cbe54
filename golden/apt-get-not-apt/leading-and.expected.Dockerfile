# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN apt-get update \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/*
