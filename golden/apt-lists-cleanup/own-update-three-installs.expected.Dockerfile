# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -y --no-install-recommends \
        curl \
        git \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
RUN set -eux; \
    apt-get update && apt-get install -y --no-install-recommends make; \
    make --version \
    && rm -rf /var/lib/apt/lists/*
