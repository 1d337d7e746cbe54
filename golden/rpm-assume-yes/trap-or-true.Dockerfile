FROM debian:bookworm
RUN yum install httpd || true
