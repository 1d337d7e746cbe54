FROM debian:bookworm
RUN --mount=type=secret,id=tok yum install httpd
