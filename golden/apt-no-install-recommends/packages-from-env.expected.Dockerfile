# dopt-test: --unsafe-fixes
FROM debian:bookworm
ENV TOOLS="curl jq"
RUN apt-get update \
    && apt-get install --no-install-recommends -y ${TOOLS} ca-certificates \
    && rm -rf /var/lib/apt/lists/*
