FROM debian:bookworm
RUN set -ex; \
    apk add --no-cache curl
