FROM debian:bookworm
RUN set -ex; \
    apt-get update && apt-get install -y curl && \
    rm -rf /var/lib/apt/lists/*
