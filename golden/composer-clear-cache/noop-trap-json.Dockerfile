FROM debian:bookworm
RUN ["sh", "-c", "composer install"]
