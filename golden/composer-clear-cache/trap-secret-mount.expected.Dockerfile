FROM debian:bookworm
RUN --mount=type=secret,id=tok composer install && composer clear-cache
