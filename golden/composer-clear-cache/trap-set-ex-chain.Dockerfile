FROM debian:bookworm
RUN set -ex; \
    composer install
