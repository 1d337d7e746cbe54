FROM debian:bookworm
RUN set -ex; \
    yum install httpd
