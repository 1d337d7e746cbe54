FROM debian:bookworm
RUN for i in 1 2; do composer install; done && composer clear-cache
