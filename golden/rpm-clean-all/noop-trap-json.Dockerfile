FROM debian:bookworm
RUN ["sh", "-c", "dnf install -y httpd"]
