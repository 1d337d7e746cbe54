FROM debian:bookworm
RUN set -ex; \
    npm ci
