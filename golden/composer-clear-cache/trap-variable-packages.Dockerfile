FROM debian:bookworm
RUN composer install $PKGS
