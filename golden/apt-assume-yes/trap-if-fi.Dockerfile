FROM debian:bookworm
RUN if [ -f /etc/os-release ]; then apt-get install curl; fi
