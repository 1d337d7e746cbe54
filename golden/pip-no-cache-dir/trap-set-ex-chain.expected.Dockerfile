FROM debian:bookworm
RUN set -ex; \
    pip install --no-cache-dir flask
