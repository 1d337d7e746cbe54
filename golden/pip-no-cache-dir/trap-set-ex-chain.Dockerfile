FROM debian:bookworm
RUN set -ex; \
    pip install flask
