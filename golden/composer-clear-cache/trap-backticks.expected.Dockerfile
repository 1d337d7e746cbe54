FROM debian:bookworm
RUN test -n `uname -m` && composer install && composer clear-cache
