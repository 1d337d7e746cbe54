FROM debian:bookworm
RUN if [ -f /etc/os-release ]; then apk add curl; fi
