FROM debian:bookworm
RUN --mount=type=secret,id=tok dnf install -y httpd
