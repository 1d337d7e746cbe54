FROM debian:bookworm
RUN if [ -f /etc/os-release ]; then composer install; fi
