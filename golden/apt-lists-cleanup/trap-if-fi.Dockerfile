FROM debian:bookworm
RUN if [ -f /etc/os-release ]; then apt-get update && apt-get install -y curl; fi
