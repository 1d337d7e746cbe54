FROM debian:bookworm
RUN if [ -f /etc/os-release ]; then dnf install -y httpd; fi && dnf clean all
