FROM debian:bookworm
RUN set -ex; \
    apk add curl
