FROM debian:bookworm
RUN if [ -f /etc/os-release ]; then yum install httpd; fi
