# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN apt-get update -qq && rm -rf /var/lib/apt/lists/*
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y -qq --no-install-recommends curl > /dev/null \
    && curl --version \
    && rm -rf /var/lib/apt/lists/*
