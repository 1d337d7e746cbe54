# dopt-test: --unsafe-fixes
FROM debian:bookworm
ENV TOOLS="curl jq"
RUN apt-get update \
    && apt-get install -y ${TOOLS} \
    && rm -rf /var/lib/apt/lists/*
