FROM debian:bookworm
RUN set -ex; \
    dnf install -y httpd && \
    dnf clean all
