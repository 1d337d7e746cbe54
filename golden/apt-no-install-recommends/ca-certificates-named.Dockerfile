# dopt-test: --unsafe-fixes
FROM ubuntu:24.04
RUN apt-get update && apt-get install -y wget ca-certificates && rm -rf /var/lib/apt/lists/*
