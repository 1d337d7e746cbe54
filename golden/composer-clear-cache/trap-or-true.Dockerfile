FROM debian:bookworm
RUN composer install || true
