FROM debian:bookworm
RUN ["sh", "-c", "yum install httpd"]
