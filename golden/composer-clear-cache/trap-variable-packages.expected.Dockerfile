FROM debian:bookworm
RUN composer install $PKGS && composer clear-cache
