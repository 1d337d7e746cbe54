# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN apt-get update \
 && apt clean \
 && rm -rf /var/lib/apt/lists/*
