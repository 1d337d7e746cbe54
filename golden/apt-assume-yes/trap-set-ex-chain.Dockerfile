FROM debian:bookworm
RUN set -ex; \
    apt-get install curl
