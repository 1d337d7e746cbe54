FROM debian:bookworm
RUN set -ex; \
    npm ci && \
    npm cache clean --force
