FROM ubuntu:22.04
RUN apt-get update \
  && apt-get install -y --no-install-recommends git \
  && git --version \
  && rm -rf /var/lib/apt/lists/*
