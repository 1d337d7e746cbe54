FROM debian:bookworm
RUN yum install -y httpd || true
