FROM debian:bookworm
RUN set -ex; \
    dnf install -y httpd
