# dopt-test: --unsafe-fixes --expect DOP202:3
FROM ubuntu:22.04
RUN apt-get update && apt-get install -y imagemagick && rm -rf /var/lib/apt/lists/*
