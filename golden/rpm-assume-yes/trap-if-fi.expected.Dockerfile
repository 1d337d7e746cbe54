FROM debian:bookworm
RUN if [ -f /etc/os-release ]; then yum install -y httpd; fi
