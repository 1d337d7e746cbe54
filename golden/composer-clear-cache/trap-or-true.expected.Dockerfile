FROM debian:bookworm
RUN composer install || true && composer clear-cache
