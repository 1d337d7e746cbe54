FROM debian:bookworm
RUN dnf install -y httpd || true
