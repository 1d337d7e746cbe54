# dopt-test: --unsafe-fixes
FROM ubuntu:24.04
RUN apt-get update && apt-get install --no-install-recommends -y wget ca-certificates && rm -rf /var/lib/apt/lists/*
